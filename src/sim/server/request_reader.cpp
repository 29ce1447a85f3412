#include "sim/server/request_reader.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "sim/http/response_writer.hpp"
#include "sim/http/syntax.hpp"
#include "sim/server/request_handler.hpp"
#include "sim/server/request_number.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {
namespace {

using Clock = std::chrono::steady_clock;
using trace::Phase;
using Stage = http::RequestParser::Stage;

// The interim response every server writes for Expect: 100-continue, whatever its own version.
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// How often a reader told of `stopping` looks at it while it waits.
constexpr std::chrono::milliseconds kStopCheck{100};

// The bytes up to and including the next LF, or all of them: the parser gets a line at a time
// so each stage's event is emitted as that stage completes.
std::size_t next_piece(const std::string& buffer, Stage stage) {
  if (stage == Stage::Body) return buffer.size();
  auto newline = buffer.find('\n');
  return newline == std::string::npos ? buffer.size() : newline + 1;
}

}  // namespace

RequestReader::RequestReader(const ServerConfig& config, trace::Emitter emitter,
                             std::atomic<int>& next_req)
    : RequestReader(config.limits,
                    ReadWaits{config.read_timeout_ms, config.read_timeout_ms,
                              config.header_timeout_ms, nullptr},
                    Role{"Server", "server.state"}, std::move(emitter), next_req) {
  config_ = &config;
}

RequestReader::RequestReader(const http::Limits& limits, ReadWaits waits, Role role,
                             trace::Emitter emitter, std::atomic<int>& next_req)
    : emit_(std::move(emitter)),
      next_req_(next_req),
      waits_(waits),
      role_(std::move(role)),
      parser_(limits) {}

RequestReader::Wait RequestReader::read_more(Connection& connection, int timeout_ms) {
  auto wait_of = [](Connection::ReadResult result) {
    switch (result) {
      case Connection::ReadResult::Data:
        return Wait::Data;
      case Connection::ReadResult::Closed:
        return Wait::Closed;
      case Connection::ReadResult::Timeout:
        return Wait::Timeout;
      case Connection::ReadResult::Failed:
        break;
    }
    return Wait::Failed;
  };
  if (!waits_.stopping) return wait_of(connection.read_some(buffer_, timeout_ms));
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (waits_.stopping->load()) return Wait::Stopping;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Wait::Timeout;
    const auto slice = std::min<long long>(left, kStopCheck.count());
    const Wait wait = wait_of(connection.read_some(buffer_, static_cast<int>(slice)));
    if (wait != Wait::Timeout) return wait;
  }
}

ReadRequest RequestReader::next(Connection& connection) {
  parser_.reset();
  ReadRequest out;
  std::string& raw = out.raw;
  int& req = out.req;
  bool stalled = false;  // the parser used nothing: it needs more than we have
  // A client dripping one byte at a time is never silent for read_ms; the head's own deadline
  // cuts it off all the same.
  std::optional<Clock::time_point> head_deadline;
  // Hands the parser the next piece of what was received; how many bytes it used.
  auto feed_piece = [&] {
    const std::size_t used =
        parser_.feed(std::string_view(buffer_).substr(0, next_piece(buffer_, parser_.stage())));
    raw.append(buffer_, 0, used);
    buffer_.erase(0, used);
    return used;
  };
  bool headers_told = false, body_told = false;
  while (parser_.stage() != Stage::Complete && parser_.stage() != Stage::Failed) {
    if (buffer_.empty() || stalled) {
      // Between requests the client may think for idle_ms; inside one it may not.
      const bool between = raw.empty() && buffer_.empty();
      int wait_ms = between ? waits_.idle_ms : waits_.read_ms;
      bool deadline_bounds_wait = false;
      const bool in_head =
          parser_.stage() == Stage::RequestLine || parser_.stage() == Stage::Headers;
      if (in_head && head_deadline) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(*head_deadline - Clock::now()).count();
        if (left <= 0) {
          head_too_slow(req, raw);
          return out;
        }
        deadline_bounds_wait = left < wait_ms;
        wait_ms = std::min<int>(wait_ms, static_cast<int>(left));
      }
      const Wait wait = read_more(connection, wait_ms);
      if (wait == Wait::Timeout && deadline_bounds_wait) {
        head_too_slow(req, raw);
        return out;
      }
      if (wait != Wait::Data) {
        ended(wait == Wait::Closed    ? End::Closed
              : wait == Wait::Timeout ? End::Timeout
              : wait == Wait::Failed  ? End::Failed
                                      : End::Stopping,
              req, raw);
        return out;
      }
      if (!head_deadline && waits_.head_ms > 0)
        head_deadline = Clock::now() + std::chrono::milliseconds(waits_.head_ms);
    }
    const Stage before = parser_.stage();
    stalled = feed_piece() == 0;
    const http::Request& request = parser_.request();
    if (before == Stage::RequestLine && parser_.stage() == Stage::Headers) {
      // The client's number for this request, if the rest of the head is already here: the
      // event must carry it now, it is never renumbered later. So the parser reads the header
      // lines already received, and the number is the one among the fields it accepted.
      while (parser_.stage() == Stage::Headers && buffer_.find('\n') != std::string::npos &&
             feed_piece() > 0) {
      }
      req = request_line(request, given_request_number(request));
    }
    const bool head_done = parser_.stage() == Stage::Body || parser_.stage() == Stage::Complete;
    if (head_done && !headers_told) {
      headers_told = true;
      headers(connection, request, req);
    }
    if (parser_.stage() == Stage::Body && buffer_.empty() && !body_told) {
      body_told = true;
      body_expected(connection, request);
    }
  }
  if (parser_.stage() == Stage::Failed) {
    if (req == 0) req = ++next_req_;
    const http::ParseError& error = *parser_.error();
    emit_(Phase::Error, req, trace::kOverview,
          role_.who + " refuses a bad request: " + std::to_string(error.status) + " " +
              error.reason + " (" + error.detail + ")",
          {{role_.state_variable, "Refusing a bad request"}},
          {{"status", error.status},
           {"reason", error.reason},
           {"detail", error.detail},
           {"raw", capped_for_trace(raw)}});
    // After a parse error the stream cannot be trusted: the connection closes.
    answer_bad_request(connection, error, req);
    return out;
  }
  const http::Request& request = parser_.request();
  if (req == 0) req = number_request(given_request_number(request), next_req_);
  received(connection, request, req, raw);
  out.request = request;
  return out;
}

int RequestReader::request_line(const http::Request& request, std::optional<int> given) {
  const int req = number_request(given, next_req_);
  emit_(Phase::RequestLine, req, trace::kServerInternals,
        "Parser reads the request line: " + request.method + " " + request.target + " " +
            request.version(),
        {},
        {{"method", request.method}, {"target", request.target}, {"version", request.version()}});
  return req;
}

void RequestReader::headers(Connection& connection, const http::Request& request, int req) {
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& header : request.headers) headers.push_back({header.name, header.value});
  emit_(Phase::Headers, req, trace::kServerInternals,
        "Parser reads " + std::to_string(request.headers.size()) + " header fields", {},
        {{"headers", headers}});
  const auto expect = request.header("Expect");
  if (!expect || !http::iequals(*expect, "100-continue") || connection.protocol() != Protocol::Http)
    return;
  // RFC 9110 section 10.1.1: a client that asked waits for it (curl a second) before its body.
  const bool twice = config_->wire.parse_request_continues && request.version_minor >= 1;
  const std::string go_ahead =
      twice ? std::string(kContinue) + std::string(kContinue) : std::string(kContinue);
  if (!connection.write_all(go_ahead, config_->write_timeout_ms)) return;
  emit_(Phase::Continue, req, trace::kServerInternals,
        std::string("Server answers Expect: 100-continue with 100 Continue") +
            (twice ? ", twice (http.server's parse_request, then run_wsgi)" : "") +
            ": the client may send its body now",
        {}, {{"raw", go_ahead}});
}

void RequestReader::body_expected(Connection&, const http::Request&) {}

void RequestReader::received(Connection& connection, const http::Request& request, int req,
                             const std::string& raw) {
  nlohmann::json data = {{"raw", capped_for_trace(raw)}, {"peer", connection.peer().to_string()}};
  // Kept for the student to see, as gunicorn keeps them; the app never gets them.
  for (const auto& trailer : request.trailers)
    data["trailers"].push_back({trailer.name, trailer.value});
  emit_(Phase::RequestReceived, req, trace::kOverview,
        "Request arrives: " + request.method + " " + request.target + " " + request.version(),
        {{"server.state", "Request received"}, {"response.sent", "No"}}, data);
}

void RequestReader::answer_bad_request(Connection& connection, const http::ParseError& error,
                                       int req) {
  send_server_error(connection, *config_, emit_, req, error.status, error.detail);
  // The refusal may come before the body (a 413 for its Content-Length): let the client finish
  // writing it, so that it gets to read the refusal.
  connection.linger(config_->lingering_time_ms, config_->lingering_timeout_ms);
}

void RequestReader::ended(End why, int req, const std::string& raw) {
  give_up_on_request(emit_, *config_,
                     why == End::Timeout  ? Connection::ReadResult::Timeout
                     : why == End::Closed ? Connection::ReadResult::Closed
                                          : Connection::ReadResult::Failed,
                     raw, req, "a request");
}

void RequestReader::head_too_slow(int req, const std::string& raw) {
  const std::string why = "the request line and headers did not arrive within " +
                          std::to_string(waits_.head_ms) +
                          " ms (a client sending a byte at a time holds the server)";
  emit_(Phase::Error, req, trace::kOverview, "Server cuts off a slow client: " + why,
        {{"server.state", "Idle, waiting for next request"}},
        {{"reason", why}, {"received_bytes", raw.size()}, {"raw", capped_for_trace(raw)}});
  request_finished(emit_);
}

void give_up_on_request(const trace::Emitter& emit, const ServerConfig& config,
                        Connection::ReadResult result, const std::string& raw, int req,
                        const std::string& what) {
  if (raw.empty()) {
    // Between requests: the client is done with this connection.
    const std::string why =
        result == Connection::ReadResult::Timeout
            ? "the client sent nothing for " + std::to_string(config.read_timeout_ms) + " ms"
            : "the client closed the connection";
    emit(Phase::Idle, 0, trace::kServerInternals,
         "Connection closed (" + why + "); the server waits for the next one");
    return;
  }
  const std::string why = result == Connection::ReadResult::Timeout
                              ? "the client sent nothing for " +
                                    std::to_string(config.read_timeout_ms) +
                                    " ms in the middle of " + what
                              : "the client closed the connection in the middle of " + what;
  emit(Phase::Error, req, trace::kOverview, "Server gives up on a request: " + why,
       {{"server.state", "Idle, waiting for next request"}},
       {{"reason", why}, {"raw", capped_for_trace(raw)}});
  request_finished(emit);
}

void send_server_error(Connection& connection, const ServerConfig& config,
                       const trace::Emitter& emit, int req, int status, const std::string& detail) {
  const http::ParseError error{status, std::string(http::reason_phrase(status)), detail};
  // The server's own protocol version (Werkzeug's send_error speaks its handler's); over uwsgi,
  // the HTTP/1.1 status line nginx reads.
  const std::string response = http::error_response(error, connection.protocol() == Protocol::Uwsgi
                                                               ? "HTTP/1.1"
                                                               : status_version(config.wire, 1));
  connection.cork(true);
  if (connection.write_all(response, config.write_timeout_ms))
    emit(Phase::Sent, req, trace::kOverview,
         "Server sends " + std::to_string(status) + " " + error.reason +
             " and closes the connection",
         {{"server.state", "Idle, waiting for next request"}, {"response.sent", "Yes"}},
         {{"raw", capped_for_trace(response)}});
  request_finished(emit);
  connection.cork(false);
  connection.shutdown_write();
}

void request_finished(const trace::Emitter& emit) {
  if (auto* recorder = emit.recorder()) recorder->flush();
}

}  // namespace reqtrace::server
