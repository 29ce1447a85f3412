// Serving the requests of one connection: parse, build environ, call the app, send (Werkzeug's
// WSGIRequestHandler, gunicorn's handle_request), over HTTP or over uwsgi from nginx.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/wsgi/application.hpp"
#include "sim/wsgi/environ_builder.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

class RequestReader;

class RequestHandler {
 public:
  // `next_req` numbers requests across every connection of the server.
  RequestHandler(const ServerConfig& config, wsgi::Application& app, wsgi::ServerTraits traits,
                 Endpoint server_address, trace::Emitter emitter, std::atomic<int>& next_req);

  // Serves every request on the connection (one unless keep-alive, always one over uwsgi), then
  // returns. The connection's protocol decides how requests are read.
  void handle(Connection& connection);
  // One request of an HTTP connection accepted elsewhere (gunicorn gthread's handle(), on a pool
  // thread): read with `reader`, which belongs to the connection and keeps what came after it.
  // True when the connection stays open for another request.
  bool handle_one(Connection& connection, RequestReader& reader);
  // The one request of a uwsgi connection accepted elsewhere.
  void serve_uwsgi(Connection& connection);

 private:
  enum class Outcome { KeepOpen, Close };
  // How the response goes back; the rest of answering is the same for HTTP and uwsgi.
  struct Framing {
    std::string_view version = "HTTP/1.1";  // the status line's
    bool head_only = false;                 // HEAD: the headers a GET would get, no body
    bool keep_alive = false;                // the connection may carry another request
    bool may_chunk = false;  // a body without Content-Length goes chunked (WirePolicy::chunked)
    // HTTP: the server adds Server, Date, Connection and, when it chunks, Transfer-Encoding, in
    // the order of the real server (WirePolicy). uwsgi: the app's headers go out as they are and
    // the close ends the body, as uWSGI answers nginx.
    bool server_headers = true;
  };

  void handle_http(Connection& connection);
  void handle_uwsgi(Connection& connection);
  // environ -> app(environ, start_response) -> send the response -> body.close().
  Outcome respond(Connection& connection, wsgi::Environ& environ, int req, Framing framing,
                  const std::string& environ_source);
  // The app broke or raised before anything was sent: 500.
  void answer_failure(Connection& connection, int req, const std::string& why);
  // A uwsgi request the server cannot serve: an error event, and the connection closes with no
  // answer (nginx then tells its client 502), as uWSGI does.
  void refuse_uwsgi(Connection& connection, const std::string& why, const std::string& raw,
                    int req);

  const ServerConfig& config_;
  wsgi::Application& app_;
  wsgi::ServerTraits traits_;
  Endpoint server_address_;
  trace::Emitter emit_;
  std::atomic<int>& next_req_;
};

// Request or response bytes as a trace keeps them for the inspector: cut past a few KiB. With a
// `body`, the head and body as one text, without copying a large body first.
std::string capped_for_trace(const std::string& bytes, std::string_view body = {});

}  // namespace reqtrace::server
