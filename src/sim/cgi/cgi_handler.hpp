// wsgiref's CGIHandler: a WSGI app run as a CGI program, its environ made from the program's
// environment and stdin, its response written to stdout as a CGI response.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "sim/wsgi/application.hpp"
#include "sim/wsgi/environ.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::wsgi {

// The environ CGIHandler builds: every variable of the environment (the CGI meta-variables
// among them), the body as wsgi.input, wsgi.url_scheme from HTTPS, and wsgi.run_once True,
// wsgi.multiprocess True, wsgi.multithread False: a CGI program serves one request, and many
// run side by side, each a process. Variables named REQTRACE_* are the trace's plumbing, not
// the request's, and are left out; `req` becomes reqtrace.req when it is not 0.
Environ environ_from_cgi(const std::map<std::string, std::string>& variables, std::string body,
                         int req);

// Where the CGI response goes: stdout, for a real program. false when it cannot be written.
using CgiOutput = std::function<bool(std::string_view bytes)>;

// Runs the app once, as CGIHandler.run() does, and writes "Status: 200 OK", the headers, an
// empty line and the body to `out`. If the app raises or breaks the WSGI contract before
// anything was written, writes wsgiref's 500 instead. Emits environ_built, calling_app,
// response_ready and sending on `voice`, tied to `req`. false when the app failed.
bool run_cgi_app(Application& app, Environ& environ, const trace::Emitter& voice, int req,
                 const CgiOutput& out);

}  // namespace reqtrace::wsgi
