// How a WSGI server is set up: where it listens, its limits and timeouts.
#pragma once

#include <string>
#include <string_view>

#include "sim/http/limits.hpp"

namespace reqtrace::server {

// How the real server a model mirrors speaks HTTP/1.x, as its source decides it (each model's is
// set in one place, topology::wire_policy). The default is Werkzeug's BaseWSGIServer.
struct WirePolicy {
  // The status line's version. Werkzeug writes its handler's protocol_version whatever the
  // request said (http.server's send_response_only); gunicorn echoes the request's
  // (gunicorn/http/wsgi.py Response.default_headers).
  enum class Version { Http10, Http11, Request };
  Version version = Version::Http10;
  // When a body the app gave no Content-Length is sent chunked. Werkzeug: when its own
  // protocol_version is HTTP/1.1, whatever the request's (run_wsgi); gunicorn: when the request
  // is HTTP/1.1 (Response.is_chunked). Never for HEAD, 1xx, 204 or 304: without chunks, the
  // close ends such a body.
  enum class Chunked { Never, ServerHttp11, ClientHttp11 };
  Chunked chunked = Chunked::Never;
  // Whether a connection may carry a next request. Only gunicorn's gthread worker keeps one open
  // (its keepalive setting); Werkzeug 2.2's run_wsgi always sends "Connection: close", and
  // gunicorn's sync worker calls resp.force_close() on every request.
  bool keep_alive = false;
  // Werkzeug sends Server and Date, then the app's headers, then Transfer-Encoding and
  // Connection; gunicorn sends Server, Date, Connection and Transfer-Encoding, then the app's.
  bool framing_headers_first = false;
  // Every server answers "Expect: 100-continue" with "HTTP/1.1 100 Continue" before the app can
  // read the body: gunicorn while it builds the environ (http/wsgi.py create), Werkzeug at the
  // top of run_wsgi (serving.py). Werkzeug's HTTP/1.1 handlers (threaded, forking) answer it a
  // first time before that, in http.server's parse_request (handle_expect_100, for an HTTP/1.1
  // request to an HTTP/1.1 handler): two of them.
  bool parse_request_continues = false;
};

// "HTTP/1.0" or "HTTP/1.1": the status line's version for a request of HTTP/1.`request_minor`.
constexpr std::string_view status_version(const WirePolicy& wire, int request_minor) {
  if (wire.version == WirePolicy::Version::Http10) return "HTTP/1.0";
  if (wire.version == WirePolicy::Version::Http11 || request_minor >= 1) return "HTTP/1.1";
  return "HTTP/1.0";
}

struct ServerConfig {
  std::string host = "127.0.0.1";  // loopback unless the user says otherwise
  int port = 0;                    // 0: the kernel picks a free port
  int uwsgi_port = -1;             // a second socket speaking uwsgi; -1: none, 0: any free port
  int backlog = 128;  // listen()'s; Werkzeug's LISTEN_QUEUE (topology::server_config sets each's)
  http::Limits limits;
  int read_timeout_ms = 5000;     // a client silent this long mid-request is cut off
  int header_timeout_ms = 10000;  // the request head must be whole this soon after its first byte
  int write_timeout_ms = 5000;    // a client that stops reading this long is dropped
  // After a refusal, how long the server reads and discards the rest of the request before it
  // closes (Connection::linger): nginx's lingering_time (30 s) and lingering_timeout (5 s),
  // shortened so a hostile client holds a lesson's one thread for two seconds at most.
  int lingering_time_ms = 2000;
  int lingering_timeout_ms = 500;
  // gunicorn's graceful_timeout: after stop, how long a worker process may finish the request in
  // hand before it is killed (gunicorn waits 30 s; a lesson cannot).
  int graceful_timeout_ms = 3000;
  // gunicorn's timeout (config.py Timeout, -t): a worker silent this long is killed and replaced
  // by its arbiter (Arbiter.murder_workers); 0: never. gunicorn's default, 30 s.
  int worker_timeout_ms = 30000;
  // gunicorn's preload_app (--preload): the arbiter builds the app once, before forking, and every
  // worker serves its copy; without it each worker builds its own after the fork.
  bool preload_app = false;
  // The app's source file: when it changes, a pre-fork arbiter replaces its workers as on SIGHUP
  // (Arbiter.reload). Empty: nothing to watch (the C++ app).
  std::string app_file;
  WirePolicy wire;              // HTTP version, keep-alive and chunking, as the real server does
  std::string lane = "server";  // the timeline row this server's events go to
};

}  // namespace reqtrace::server
