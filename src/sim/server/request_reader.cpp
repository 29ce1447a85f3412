#include "sim/server/request_reader.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "sim/http/request_parser.hpp"
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

int number_request(std::optional<int> given, std::atomic<int>& next_req) {
  return given ? *given : ++next_req;
}

}  // namespace

ReadRequest read_request(Connection& connection, const ServerConfig& config,
                         const trace::Emitter& emit, std::atomic<int>& next_req) {
  ReadRequest out;
  std::string& raw = out.raw;
  int& req = out.req;
  http::RequestParser parser(config.limits);
  std::string buffer;    // received, not yet parsed
  bool stalled = false;  // the parser used nothing: it needs more than we have
  // A client dripping one byte at a time is never silent for read_timeout_ms; the head's own
  // deadline cuts it off all the same.
  std::optional<Clock::time_point> head_deadline;
  auto give_up = [&](const std::string& why) {
    if (raw.empty() && req == 0) {
      emit(Phase::Idle, 0, trace::kServerInternals,
           "Connection closed before a request came (" + why + ")");
      return;
    }
    emit(Phase::Error, req, trace::kOverview, "Server gives up on a request: " + why,
         {{"server.state", "Idle, waiting for next request"}},
         {{"reason", why}, {"raw", capped_for_trace(raw)}});
  };
  const std::string slow_head = "the request line and headers did not arrive within " +
                                std::to_string(config.header_timeout_ms) + " ms";

  while (parser.stage() != Stage::Complete && parser.stage() != Stage::Failed) {
    if (buffer.empty() || stalled) {
      int wait_ms = config.read_timeout_ms;
      bool deadline_bounds_wait = false;
      const bool in_head = parser.stage() == Stage::RequestLine || parser.stage() == Stage::Headers;
      if (in_head && head_deadline) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(*head_deadline - Clock::now()).count();
        if (left <= 0) {
          give_up(slow_head);
          return out;
        }
        deadline_bounds_wait = left < wait_ms;
        wait_ms = std::min<int>(wait_ms, static_cast<int>(left));
      }
      const auto result = connection.read_some(buffer, wait_ms);
      if (result == Connection::ReadResult::Timeout && deadline_bounds_wait) {
        give_up(slow_head);
        return out;
      }
      if (result == Connection::ReadResult::Timeout) {
        give_up("the client sent nothing for " + std::to_string(config.read_timeout_ms) + " ms");
        return out;
      }
      if (result != Connection::ReadResult::Data) {
        give_up("the client closed the connection");
        return out;
      }
      if (!head_deadline)
        head_deadline = Clock::now() + std::chrono::milliseconds(config.header_timeout_ms);
    }
    const Stage before = parser.stage();
    const std::size_t used =
        parser.feed(std::string_view(buffer).substr(0, next_piece(buffer, before)));
    stalled = used == 0;
    raw.append(buffer, 0, used);
    buffer.erase(0, used);
    const http::Request& request = parser.request();
    const bool advanced = parser.stage() != before && parser.stage() != Stage::Failed;
    if (before == Stage::RequestLine && advanced) {
      // The client's number for this request, if the rest of the head is already here: the
      // event must carry it now, it is never renumbered later.
      req = number_request(look_ahead_request_number(buffer), next_req);
      emit(
          Phase::RequestLine, req, trace::kServerInternals,
          "Parser reads the request line: " + request.method + " " + request.target + " " +
              request.version(),
          {},
          {{"method", request.method}, {"target", request.target}, {"version", request.version()}});
    }
    if (before == Stage::Headers && advanced) {
      nlohmann::json headers = nlohmann::json::array();
      for (const auto& header : request.headers) headers.push_back({header.name, header.value});
      emit(Phase::Headers, req, trace::kServerInternals,
           "Parser reads " + std::to_string(request.headers.size()) + " header fields", {},
           {{"headers", headers}});
    }
  }
  if (parser.stage() == Stage::Failed) {
    if (req == 0) req = ++next_req;
    const http::ParseError& error = *parser.error();
    emit(Phase::Error, req, trace::kOverview,
         "Server refuses a bad request: " + std::to_string(error.status) + " " + error.reason +
             " (" + error.detail + ")",
         {{"server.state", "Refusing a bad request"}},
         {{"status", error.status},
          {"reason", error.reason},
          {"detail", error.detail},
          {"raw", capped_for_trace(raw)}});
    send_server_error(connection, config, emit, req, error.status, error.detail);
    return out;
  }
  const http::Request& request = parser.request();
  emit(Phase::RequestReceived, req, trace::kOverview,
       "Request arrives: " + request.method + " " + request.target + " " + request.version(),
       {{"server.state", "Request received"}, {"response.sent", "No"}},
       {{"raw", capped_for_trace(raw)}, {"peer", connection.peer().to_string()}});
  out.request = request;
  return out;
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
  // The trace has the request's events before the client can see the answer.
  if (auto* recorder = emit.recorder()) recorder->flush();
  connection.cork(false);
  connection.shutdown_write();
}

}  // namespace reqtrace::server
