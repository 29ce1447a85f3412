// Reading the HTTP requests of one connection with the strict parser, each stage an event, a bad
// request refused with its 4xx: the half of serving that comes before any app or program runs
// (gunicorn's http/parser.py reading from its unreader).
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "sim/http/request.hpp"
#include "sim/http/request_parser.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

struct ReadRequest {
  // nullopt when there is nothing to answer: the request was refused (its 4xx already sent),
  // cut off, or the client closed first. The events say which; the connection is done.
  std::optional<http::Request> request;
  int req = 0;      // its number: X-Reqtrace-Req's when valid, else the server's own count
  std::string raw;  // the bytes it came in, for the inspector
};

// Emits request_line, headers and request_received (or error) for each request, with the
// limits and timeouts of ServerConfig. Bytes received after one request (a pipelined next one)
// are kept for the next call.
class RequestReader {
 public:
  // `next_req` numbers requests across every connection of the server.
  RequestReader(const ServerConfig& config, trace::Emitter emitter, std::atomic<int>& next_req);

  ReadRequest next(Connection& connection);

 private:
  const ServerConfig& config_;
  trace::Emitter emit_;
  std::atomic<int>& next_req_;
  http::RequestParser parser_;
  std::string buffer_;  // received, not yet parsed
};

// The connection ended or went silent before a whole `what` ("a request", "a uwsgi packet")
// came: an idle event between requests, else an error event for request `req`.
void give_up_on_request(const trace::Emitter& emit, const ServerConfig& config,
                        Connection::ReadResult result, const std::string& raw, int req,
                        const std::string& what);

// Sends a response the server makes itself (a refusal, a failure) and closes the writing side;
// emits sent when it went out, and hands the request's events to the sinks before the client
// can see the answer.
void send_server_error(Connection& connection, const ServerConfig& config,
                       const trace::Emitter& emit, int req, int status, const std::string& detail);

// A request is over (answered or abandoned): its events go to the sinks now, so a trace file
// has them before the client can see the response and a run killed right after keeps them.
void request_finished(const trace::Emitter& emit);

}  // namespace reqtrace::server
