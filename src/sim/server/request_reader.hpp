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

// How long a reader waits for the client's bytes, and what else ends the wait.
struct ReadWaits {
  int idle_ms = 5000;  // between requests: how long the client may think before its next
  int read_ms = 5000;  // inside a request: how long it may fall silent
  // The request line and headers must be whole this soon after their first byte (so a client
  // dripping a byte at a time cannot hold a worker); 0: no such limit.
  int head_ms = 0;
  // When set, waiting ends soon after it turns true (it is checked every 100 ms).
  const std::atomic<bool>* stopping = nullptr;
};

// Reads requests with the strict parser, fed a line at a time so each stage is seen as it
// completes, within the limits and waits it was given. Bytes received after one request (a
// pipelined next one) are kept for the next call. The WSGI server's words for each stage are
// the defaults below; a reader that is not the WSGI server (the proxy in front of it) says its
// own by overriding them.
class RequestReader {
 public:
  // The WSGI server's reader: ServerConfig's limits and timeouts, request_line, headers and
  // request_received events, a bad request refused with its 4xx. `next_req` numbers requests
  // across every connection of the server.
  RequestReader(const ServerConfig& config, trace::Emitter emitter, std::atomic<int>& next_req);
  virtual ~RequestReader() = default;
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  ReadRequest next(Connection& connection);
  // Bytes of a next request already received (pipelined): no poller will see them arrive.
  bool has_buffered() const { return !buffer_.empty(); }
  // A connection served by one thread, then another (gunicorn's gthread pool), is read by the
  // one reader that keeps its bytes; its events go on the lane of the thread reading now.
  void speak_as(trace::Emitter emitter) { emit_ = std::move(emitter); }

 protected:
  // Who reads, as its events name it: "Server" and "server.state" for the WSGI server.
  struct Role {
    std::string who;
    std::string state_variable;
  };
  RequestReader(const http::Limits& limits, ReadWaits waits, Role role, trace::Emitter emitter,
                std::atomic<int>& next_req);

  // Why reading ended before a whole request.
  enum class End { Closed, Timeout, Failed, Stopping };

  // The request line is in. `given` is X-Reqtrace-Req's number when it is among the header
  // lines already received. Returns the request's number from here on, or 0 to number it when
  // the request is whole.
  virtual int request_line(const http::Request& request, std::optional<int> given);
  // The header section is in: the WSGI server says so, and answers Expect: 100-continue as the
  // real server does (WirePolicy::parse_request_continues), before any of the body is read.
  virtual void headers(Connection& connection, const http::Request& request, int req);
  // The head says a body follows and none of it has come yet.
  virtual void body_expected(Connection& connection, const http::Request& request);
  // The whole request is in, numbered.
  virtual void received(Connection& connection, const http::Request& request, int req,
                        const std::string& raw);
  // The parser refused the request, numbered; an error event has said so: answer and close.
  virtual void answer_bad_request(Connection& connection, const http::ParseError& error, int req);
  // The connection ended, went silent or was told to stop before a whole request; `raw` is what
  // had come of it (empty: the client was between requests).
  virtual void ended(End why, int req, const std::string& raw);
  // The head's own deadline (ReadWaits::head_ms) passed.
  virtual void head_too_slow(int req, const std::string& raw);

  trace::Emitter emit_;
  std::atomic<int>& next_req_;

 private:
  enum class Wait { Data, Closed, Timeout, Failed, Stopping };
  Wait read_more(Connection& connection, int timeout_ms);

  const ServerConfig* config_ = nullptr;  // the WSGI server's, for its words
  ReadWaits waits_;
  Role role_;
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
