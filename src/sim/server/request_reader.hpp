// Reading one HTTP request off a connection with the strict parser, each stage an event, a bad
// request refused with its 4xx: the half of serving that comes before any app or program runs.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "sim/http/request.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

struct ReadRequest {
  // nullopt when there is nothing to answer: the request was refused (its 4xx already sent),
  // cut off, or the client closed first. The events say which.
  std::optional<http::Request> request;
  int req = 0;      // its number: X-Reqtrace-Req's when valid, else the server's own count
  std::string raw;  // the bytes it came in, for the inspector
};

// Emits request_line, headers and request_received (or error) as RequestHandler does, with
// the same limits and timeouts from ServerConfig.
ReadRequest read_request(Connection& connection, const ServerConfig& config,
                         const trace::Emitter& emit, std::atomic<int>& next_req);

// Sends a response the server makes itself (a refusal, a failure) and closes the writing side;
// emits sent when it went out.
void send_server_error(Connection& connection, const ServerConfig& config,
                       const trace::Emitter& emit, int req, int status, const std::string& detail);

}  // namespace reqtrace::server
