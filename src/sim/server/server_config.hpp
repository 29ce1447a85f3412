// How a WSGI server is set up: where it listens, its limits and timeouts.
#pragma once

#include <string>

#include "sim/http/limits.hpp"

namespace reqtrace::server {

struct ServerConfig {
  std::string host = "127.0.0.1";  // loopback unless the user says otherwise
  int port = 0;                    // 0: the kernel picks a free port
  int uwsgi_port = -1;             // a second socket speaking uwsgi; -1: none, 0: any free port
  int backlog = 64;
  http::Limits limits;
  int read_timeout_ms = 5000;     // a client silent this long mid-request is cut off
  int header_timeout_ms = 10000;  // the request head must be whole this soon after its first byte
  int write_timeout_ms = 5000;    // a client that stops reading this long is dropped
  // gunicorn's graceful_timeout: after stop, how long a worker process may finish the request in
  // hand before it is killed (gunicorn waits 30 s; a lesson cannot).
  int graceful_timeout_ms = 3000;
  bool keep_alive = false;      // the dev server closes after each response, like Werkzeug's
  std::string lane = "server";  // the timeline row this server's events go to
};

}  // namespace reqtrace::server
