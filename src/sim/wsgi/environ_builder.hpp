// Building environ from a parsed request, as PEP 3333 and gunicorn's http/wsgi.py do.
#pragma once

#include <string>

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

// "%7E" -> "~"; bad escapes are kept as they are, as Python's unquote does.
std::string percent_decode(std::string_view text);

}  // namespace reqtrace::wsgi
