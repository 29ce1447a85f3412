#include "sim/proxy/upstream_http.hpp"

#include <httplib.h>

#include <chrono>

namespace reqtrace::proxy {
namespace {

using Clock = std::chrono::steady_clock;

// The head as cpp-httplib wrote it: its request line and the headers it sent, in its order.
std::string head_of(const std::string& method, const std::string& target,
                    const httplib::Headers& headers) {
  std::string head = method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : headers)
    head.append(name).append(": ").append(value).append("\r\n");
  return head + "\r\n";
}

}  // namespace

UpstreamHttp::UpstreamHttp(server::Endpoint address, int connect_timeout_ms, int read_timeout_ms,
                           std::size_t max_buffer_bytes)
    : address_(std::move(address)),
      connect_timeout_ms_(connect_timeout_ms),
      read_timeout_ms_(read_timeout_ms),
      max_buffer_bytes_(max_buffer_bytes) {}

UpstreamReply UpstreamHttp::fetch(const UpstreamRequest& request) {
  httplib::Client client(address_.host, address_.port);
  client.set_keep_alive(false);
  client.set_connection_timeout(std::chrono::milliseconds(connect_timeout_ms_));
  client.set_read_timeout(std::chrono::milliseconds(read_timeout_ms_));
  client.set_write_timeout(std::chrono::milliseconds(read_timeout_ms_));
  client.set_follow_location(false);
  client.set_decompress(false);  // the body goes to the client as the upstream encoded it
  client.set_url_encode(false);  // and the target as the client wrote it

  httplib::Request out;
  out.method = request.method;
  out.path = request.target;
  for (const auto& [name, value] : request.headers) out.headers.emplace(name, value);
  out.body = request.body;

  UpstreamReply reply;
  reply.sent = head_of(out.method, out.path, out.headers);
  bool too_large = false;
  auto last_byte = Clock::now();
  // Taking the body piece by piece is what lets the buffer be capped.
  out.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
    last_byte = Clock::now();
    if (reply.body.size() + length > max_buffer_bytes_) {
      too_large = true;
      return false;
    }
    reply.body.append(data, length);
    return true;
  };
  client.set_logger([&](const httplib::Request& written, const httplib::Response&) {
    reply.sent = head_of(written.method, written.path, written.headers);
  });

  httplib::Response in;
  httplib::Error error = httplib::Error::Success;
  last_byte = Clock::now();
  if (client.send(out, in, error)) {
    reply.outcome = UpstreamReply::Outcome::Answered;
    reply.status = in.status;
    reply.reason = in.reason;
    for (const auto& [name, value] : in.headers) reply.headers.emplace_back(name, value);
    return reply;
  }
  reply.body.clear();
  using Outcome = UpstreamReply::Outcome;
  const std::string where = " (" + url() + ")";
  const auto quiet_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_byte).count();
  switch (error) {
    case httplib::Error::Connection:
      reply.outcome = Outcome::Refused;
      reply.error = "connect() to the upstream failed: nothing accepts connections there" + where;
      break;
    case httplib::Error::ConnectionTimeout:
      reply.outcome = Outcome::TimedOut;
      reply.error = "the upstream did not accept the connection within " +
                    std::to_string(connect_timeout_ms_) + " ms (proxy_connect_timeout)" + where;
      break;
    case httplib::Error::Canceled:
      if (too_large) {
        reply.outcome = Outcome::TooLarge;
        reply.error = "the upstream's response is larger than the proxy's " +
                      std::to_string(max_buffer_bytes_) + "-byte buffer" + where;
        break;
      }
      [[fallthrough]];
    default:
      // cpp-httplib says Read both for a silent upstream and for a broken one; only the clock
      // tells them apart: a read that failed after waiting the whole timeout timed out.
      if (error == httplib::Error::Read && quiet_ms >= read_timeout_ms_) {
        reply.outcome = Outcome::TimedOut;
        reply.error = "the upstream sent nothing for " + std::to_string(read_timeout_ms_) +
                      " ms (proxy_read_timeout)" + where;
      } else {
        reply.outcome = Outcome::Broken;
        reply.error =
            "the upstream closed or reset the connection, or sent something that is not an HTTP "
            "response (cpp-httplib: " +
            httplib::to_string(error) + ")" + where;
      }
  }
  return reply;
}

}  // namespace reqtrace::proxy
