#include "sim/server/request_reader.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "sim/http/response_writer.hpp"
#include "sim/server/request_handler.hpp"
#include "sim/server/request_number.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {
namespace {

using Clock = std::chrono::steady_clock;
using trace::Phase;
using Stage = http::RequestParser::Stage;

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
    : config_(config), emit_(std::move(emitter)), next_req_(next_req), parser_(config.limits) {}

ReadRequest RequestReader::next(Connection& connection) {
  parser_.reset();
  ReadRequest out;
  std::string& raw = out.raw;
  int& req = out.req;
  bool stalled = false;  // the parser used nothing: it needs more than we have
  // A client dripping one byte at a time is never silent for read_timeout_ms; the head's own
  // deadline cuts it off all the same.
  std::optional<Clock::time_point> head_deadline;
  auto cut_off_slow_head = [&] {
    const std::string why = "the request line and headers did not arrive within " +
                            std::to_string(config_.header_timeout_ms) +
                            " ms (a client sending a byte at a time holds the server)";
    emit_(Phase::Error, req, trace::kOverview, "Server cuts off a slow client: " + why,
          {{"server.state", "Idle, waiting for next request"}},
          {{"reason", why}, {"received_bytes", raw.size()}, {"raw", capped_for_trace(raw)}});
    request_finished(emit_);
  };

  while (parser_.stage() != Stage::Complete && parser_.stage() != Stage::Failed) {
    if (buffer_.empty() || stalled) {
      int wait_ms = config_.read_timeout_ms;
      bool deadline_bounds_wait = false;
      const bool in_head =
          parser_.stage() == Stage::RequestLine || parser_.stage() == Stage::Headers;
      if (in_head && head_deadline) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(*head_deadline - Clock::now()).count();
        if (left <= 0) {
          cut_off_slow_head();
          return out;
        }
        deadline_bounds_wait = left < wait_ms;
        wait_ms = std::min<int>(wait_ms, static_cast<int>(left));
      }
      const auto result = connection.read_some(buffer_, wait_ms);
      if (result == Connection::ReadResult::Timeout && deadline_bounds_wait) {
        cut_off_slow_head();
        return out;
      }
      if (result != Connection::ReadResult::Data) {
        give_up_on_request(emit_, config_, result, raw, req, "a request");
        return out;
      }
      if (!head_deadline)
        head_deadline = Clock::now() + std::chrono::milliseconds(config_.header_timeout_ms);
    }
    const Stage before = parser_.stage();
    const std::size_t used =
        parser_.feed(std::string_view(buffer_).substr(0, next_piece(buffer_, before)));
    stalled = used == 0;
    raw.append(buffer_, 0, used);
    buffer_.erase(0, used);
    const http::Request& request = parser_.request();
    const bool advanced = parser_.stage() != before && parser_.stage() != Stage::Failed;
    if (before == Stage::RequestLine && advanced) {
      // The client's number for this request, if the rest of the head is already here: the
      // event must carry it now, it is never renumbered later.
      req = number_request(look_ahead_request_number(buffer_), next_req_);
      emit_(
          Phase::RequestLine, req, trace::kServerInternals,
          "Parser reads the request line: " + request.method + " " + request.target + " " +
              request.version(),
          {},
          {{"method", request.method}, {"target", request.target}, {"version", request.version()}});
    }
    if (before == Stage::Headers && advanced) {
      nlohmann::json headers = nlohmann::json::array();
      for (const auto& header : request.headers) headers.push_back({header.name, header.value});
      emit_(Phase::Headers, req, trace::kServerInternals,
            "Parser reads " + std::to_string(request.headers.size()) + " header fields", {},
            {{"headers", headers}});
    }
  }
  if (parser_.stage() == Stage::Failed) {
    if (req == 0) req = ++next_req_;
    const http::ParseError& error = *parser_.error();
    emit_(Phase::Error, req, trace::kOverview,
          "Server refuses a bad request: " + std::to_string(error.status) + " " + error.reason +
              " (" + error.detail + ")",
          {{"server.state", "Refusing a bad request"}},
          {{"status", error.status},
           {"reason", error.reason},
           {"detail", error.detail},
           {"raw", capped_for_trace(raw)}});
    // After a parse error the stream cannot be trusted: the connection closes.
    send_server_error(connection, config_, emit_, req, error.status, error.detail);
    return out;
  }
  const http::Request& request = parser_.request();
  emit_(Phase::RequestReceived, req, trace::kOverview,
        "Request arrives: " + request.method + " " + request.target + " " + request.version(),
        {{"server.state", "Request received"}, {"response.sent", "No"}},
        {{"raw", capped_for_trace(raw)}, {"peer", connection.peer().to_string()}});
  out.request = request;
  return out;
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
  const std::string response = http::error_response(error);
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
