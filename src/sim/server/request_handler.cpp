#include "sim/server/request_handler.hpp"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "sim/http/http_date.hpp"
#include "sim/http/response_writer.hpp"
#include "sim/http/syntax.hpp"
#include "sim/server/request_reader.hpp"
#include "sim/wsgi/serving_thread.hpp"
#include "sim/wsgi/start_response.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;
constexpr std::size_t kRawCap = 8192;  // bytes of a request or response a student can inspect

bool has_header(const wsgi::Headers& headers, std::string_view name) {
  for (const auto& header : headers)
    if (http::iequals(header.first, name)) return true;
  return false;
}

}  // namespace

std::string capped_for_trace(const std::string& bytes, std::string_view body) {
  const std::size_t total = bytes.size() + body.size();
  std::string shown = bytes;
  shown.append(body.substr(0, kRawCap));
  if (total <= kRawCap) return shown;
  shown.resize(kRawCap);
  return shown + "\n…(" + std::to_string(total - kRawCap) + " more bytes)";
}

RequestHandler::RequestHandler(const ServerConfig& config, wsgi::Application& app,
                               wsgi::ServerTraits traits, Endpoint server_address,
                               trace::Emitter emitter, std::atomic<int>& next_req)
    : config_(config),
      app_(app),
      traits_(std::move(traits)),
      server_address_(std::move(server_address)),
      emit_(std::move(emitter)),
      next_req_(next_req) {}

void RequestHandler::handle(Connection& connection) {
  if (connection.protocol() == Protocol::Uwsgi)
    handle_uwsgi(connection);
  else
    handle_http(connection);
}

void RequestHandler::handle_http(Connection& connection) {
  const std::string peer = connection.peer().to_string();
  emit_(Phase::Accept, 0, trace::kServerInternals, "Server accepts a connection from " + peer, {},
        {{"peer", peer}, {"protocol", "http"}});
  RequestReader reader(config_, emit_, next_req_);
  while (handle_one(connection, reader)) {
  }
}

bool RequestHandler::handle_one(Connection& connection, RequestReader& reader) {
  const ReadRequest read = reader.next(connection);
  if (!read.request) return false;
  const http::Request& request = *read.request;
  const int req = read.req;
  wsgi::ConnectionInfo info{connection.peer().host, connection.peer().port, server_address_.host,
                            server_address_.port, "http"};
  wsgi::Environ environ = wsgi::build_environ(request, info, traits_, req);
  const WirePolicy& wire = config_.wire;
  Framing framing;
  framing.version = status_version(wire, request.version_minor);
  framing.head_only = request.method == "HEAD";
  framing.keep_alive = wire.keep_alive && request.keep_alive();
  framing.may_chunk =
      wire.chunked == WirePolicy::Chunked::ServerHttp11
          ? framing.version == "HTTP/1.1"
          : wire.chunked == WirePolicy::Chunked::ClientHttp11 && request.version_minor >= 1;
  if (respond(connection, environ, req, framing, "") == Outcome::KeepOpen) return true;
  emit_(Phase::Idle, req, trace::kServerInternals,
        "Server closes the connection and waits for the next one");
  return false;
}

RequestHandler::Outcome RequestHandler::respond(Connection& connection, wsgi::Environ& environ,
                                                int req, Framing framing,
                                                const std::string& environ_source) {
  // Until the body is closed and dropped, this thread serves `req`: a real Python app says on
  // this lane when the thread waited for the GIL.
  const wsgi::ServingThread serving(emit_, req);
  const nlohmann::json environ_json = environ.to_json();
  emit_(Phase::EnvironBuilt, req, trace::kServerInternals,
        "Server builds environ" + environ_source + ": " + std::to_string(environ.vars.size() + 6) +
            " keys",
        {}, {{"environ", environ_json}});

  emit_(Phase::CallingApp, req, trace::kOverview,
        "Server calls the app: app(environ, start_response)",
        {{"server.state", "Processing request"}}, {{"environ", environ_json}});
  wsgi::ServerStartResponse start_response(emit_, req);
  std::unique_ptr<wsgi::ResponseIterable> body;
  try {
    body = app_(environ, start_response);
  } catch (const std::exception& e) {
    answer_failure(connection, req,
                   std::string("the app raised instead of returning: ") + e.what());
    return Outcome::Close;
  }
  const auto known_body = body->body_if_known();
  emit_(Phase::ResponseReady, req, trace::kOverview,
        known_body ? "App returns " + trace::quoted_preview(*known_body)
                   : std::string("App returns an iterable; the body comes as the server pulls it"),
        {{"server.state", "Waiting to send response"}, {"app.state", "Response ready"}},
        {{"status", start_response.status()}, {"streamed", !known_body.has_value()}});

  const bool head_only = framing.head_only;
  bool keep_alive = framing.keep_alive;
  bool chunked = false;
  std::string response_bytes;  // for the inspector
  std::size_t body_bytes = 0;
  bool head_sent = false;
  connection.cork(true);

  auto send_head = [&]() -> bool {
    if (!start_response.called())
      throw wsgi::StartResponseError("the app returned a body without calling start_response()");
    wsgi::Headers headers = start_response.headers();
    const int code = start_response.status_code();
    const bool bodiless = code == 204 || code == 304 || code < 200;
    if (!framing.server_headers) {
      // uwsgi: nginx reads the status line and the app's headers, then the body to the close.
      const std::string head = http::serialize_head("HTTP/1.1", start_response.status(), headers);
      emit_(Phase::Sending, req, trace::kServerInternals,
            "Server writes the status line and the app's headers back over uwsgi: " +
                start_response.status(),
            {}, {{"head", head}, {"headers", nlohmann::json(headers)}});
      start_response.mark_headers_sent();
      head_sent = true;
      response_bytes += head;
      return connection.write_all(head, config_.write_timeout_ms);
    }
    // Neither Werkzeug (run_wsgi) nor gunicorn (Response) counts a body the app gave no
    // Content-Length: it is chunked, or the close ends it.
    if (!has_header(headers, "Content-Length") && !bodiless && !head_only) {
      if (framing.may_chunk)
        chunked = true;
      else
        keep_alive = false;  // the client learns the end from the close
    }
    wsgi::Headers framing_headers = {{"Server", traits_.software},
                                     {"Date", http::format_http_date(std::time(nullptr))}};
    const std::pair<std::string, std::string> connection_header = {
        "Connection", keep_alive ? "keep-alive" : "close"};
    if (config_.wire.framing_headers_first) {
      // gunicorn's Response.default_headers: Server, Date, Connection, Transfer-Encoding.
      framing_headers.push_back(connection_header);
      if (chunked) framing_headers.emplace_back("Transfer-Encoding", "chunked");
      headers.insert(headers.begin(), framing_headers.begin(), framing_headers.end());
    } else {
      // Werkzeug: send_response's Server and Date, the app's headers, then run_wsgi's own.
      headers.insert(headers.begin(), framing_headers.begin(), framing_headers.end());
      if (chunked) headers.emplace_back("Transfer-Encoding", "chunked");
      headers.push_back(connection_header);
    }
    const std::string head =
        http::serialize_head(framing.version, start_response.status(), headers);
    emit_(Phase::Sending, req, trace::kServerInternals,
          "Server writes the status line and headers: " + start_response.status(), {},
          {{"head", head}, {"headers", nlohmann::json(headers)}});
    start_response.mark_headers_sent();
    head_sent = true;
    response_bytes += head;
    return connection.write_all(head, config_.write_timeout_ms);
  };

  std::string failure;
  try {
    bool ok = true;
    while (ok) {
      std::optional<std::string> piece = body->next();
      if (!piece) break;
      if (piece->empty()) continue;  // PEP 3333: an empty chunk is not the end and sends nothing
      if (!head_sent && !(ok = send_head())) break;
      if (head_only) continue;
      body_bytes += piece->size();
      const std::string framed = chunked ? http::chunk(*piece) : *piece;
      if (response_bytes.size() < kRawCap) response_bytes += framed;
      ok = connection.write_all(framed, config_.write_timeout_ms);
      // A streamed body goes out chunk by chunk, as the app yields it.
      if (!known_body) {
        connection.cork(false);
        connection.cork(true);
      }
    }
    if (ok && !head_sent) ok = send_head();
    if (ok && chunked) {
      response_bytes += http::last_chunk();
      ok = connection.write_all(http::last_chunk(), config_.write_timeout_ms);
    }
    if (!ok) failure = "the client stopped reading; the response could not be sent";
  } catch (const std::exception& e) {
    failure = e.what();
  }

  if (failure.empty()) {
    emit_(Phase::Sent, req, trace::kOverview,
          "Server sends the response: " + start_response.status() + ", " +
              std::to_string(body_bytes) + "-byte body",
          {{"server.state", "Idle, waiting for next request"}, {"response.sent", "Yes"}},
          {{"raw", capped_for_trace(response_bytes)}, {"body_bytes", body_bytes}});
  }
  body->close();  // PEP 3333: always, even when sending failed
  if (!failure.empty()) {
    if (!head_sent) {
      answer_failure(connection, req, failure);
    } else {
      emit_(Phase::Error, req, trace::kOverview, "Server aborts the response: " + failure,
            {{"server.state", "Idle, waiting for next request"}}, {{"reason", failure}});
      request_finished(emit_);
    }
    return Outcome::Close;
  }
  request_finished(emit_);
  // Only now does the response leave: the trace says "sent" before the client can see it.
  connection.cork(false);
  if (!keep_alive) connection.shutdown_write();
  return keep_alive ? Outcome::KeepOpen : Outcome::Close;
}

void RequestHandler::answer_failure(Connection& connection, int req, const std::string& why) {
  emit_(Phase::Error, req, trace::kOverview, "Server answers 500: " + why,
        {{"server.state", "Refusing a bad request"}}, {{"status", 500}, {"reason", why}});
  send_server_error(connection, config_, emit_, req, 500, why);
}

}  // namespace reqtrace::server
