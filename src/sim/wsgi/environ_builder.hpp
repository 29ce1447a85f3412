// Building environ from a parsed request, as PEP 3333 and gunicorn's http/wsgi.py do.
#pragma once

#include <string>
#include <string_view>

#include "sim/http/percent_coding.hpp"
#include "sim/http/request.hpp"
#include "sim/wsgi/environ.hpp"

namespace reqtrace::wsgi {

// What the server knows beyond the request itself.
struct ConnectionInfo {
  std::string remote_addr;
  int remote_port = 0;
  std::string server_name;  // the address the server listens on
  int server_port = 0;
  std::string url_scheme = "http";
};

// What the server model is, so wsgi.multithread/multiprocess/run_once tell the truth.
struct ServerTraits {
  bool multithread = false;
  bool multiprocess = false;
  bool run_once = false;
  std::string software = "reqtrace/0.1";
};

Environ build_environ(const http::Request& request, const ConnectionInfo& connection,
                      const ServerTraits& traits, int req);

// The environ key of a request header: "X-Forwarded-For" -> "HTTP_X_FORWARDED_FOR" (the CGI
// meta-variable naming of RFC 3875 4.1.18, which PEP 3333 keeps, uwsgi's vars too).
std::string http_variable_name(std::string_view field_name);

// PATH_INFO is the path percent-decoded.
using http::percent_decode;

}  // namespace reqtrace::wsgi
