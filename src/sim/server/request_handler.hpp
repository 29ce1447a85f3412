// Serving the requests of one connection: parse, build environ, call the app, send (Werkzeug's
// WSGIRequestHandler, gunicorn's handle_request).
#pragma once

#include <atomic>
#include <string>

#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/wsgi/application.hpp"
#include "sim/wsgi/environ_builder.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::http {
struct Request;
struct ParseError;
}  // namespace reqtrace::http

namespace reqtrace::server {

class RequestHandler {
 public:
  // `next_req` numbers requests across every connection of the server.
  RequestHandler(const ServerConfig& config, wsgi::Application& app, wsgi::ServerTraits traits,
                 Endpoint server_address, trace::Emitter emitter, std::atomic<int>& next_req);

  // Serves every request on the connection (one unless keep-alive), then returns.
  void handle(Connection& connection);

 private:
  enum class Outcome { KeepOpen, Close };
  Outcome respond(Connection& connection, const http::Request& request, int req);
  void refuse(Connection& connection, const http::ParseError& error, const std::string& raw,
              int req);
  // The app broke or raised before anything was sent: 500.
  void answer_failure(Connection& connection, int req, const std::string& why);
  // Sends a response the server makes itself, then closes.
  void send_error(Connection& connection, int req, const http::ParseError& error);
  // The connection ended or went silent before a whole request came.
  void give_up(Connection::ReadResult result, const std::string& raw, int req);
  // The head took longer than header_timeout_ms, however busy the client looked.
  void give_up_slow_head(const std::string& raw, int req);
  // A request is over (answered or abandoned): its events go to the sinks now.
  void request_finished();

  const ServerConfig& config_;
  wsgi::Application& app_;
  wsgi::ServerTraits traits_;
  Endpoint server_address_;
  trace::Emitter emit_;
  std::atomic<int>& next_req_;
};

// "Mon, 23 Nov 2026 06:31:34 GMT", as the Date header wants it.
std::string http_date();

}  // namespace reqtrace::server
