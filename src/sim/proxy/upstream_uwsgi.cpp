#include "sim/proxy/upstream_uwsgi.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "sim/http/percent_coding.hpp"
#include "sim/http/syntax.hpp"
#include "sim/proxy/forwarded_headers.hpp"
#include "sim/proxy/response_head.hpp"
#include "sim/server/file_descriptor.hpp"
#include "sim/wsgi/environ_builder.hpp"

namespace reqtrace::proxy {
namespace {

using Outcome = UpstreamReply::Outcome;
constexpr std::size_t kMaxHeadBytes =
    std::size_t{64} * 1024;  // nginx's uwsgi_buffer_size is far smaller

struct Connected {
  server::FileDescriptor fd;
  Outcome failure = Outcome::Broken;  // when fd is not open
  std::string error;
};

// A non-blocking connect() bounded by timeout_ms, which is how nginx tells a refused upstream
// (502) from one that does not answer at all (504).
Connected connect_to(const server::Endpoint& address, int timeout_ms) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(address.port);
  if (int rc = ::getaddrinfo(address.host.c_str(), service.c_str(), &hints, &found); rc != 0)
    return {{}, Outcome::Refused, "cannot resolve " + address.host + ": " + gai_strerror(rc)};
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  server::FileDescriptor fd(::socket(
      found->ai_family, found->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, found->ai_protocol));
  if (!fd) return {{}, Outcome::Broken, std::string("socket(): ") + std::strerror(errno)};
  int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc = ::connect(fd.get(), found->ai_addr, found->ai_addrlen);
  if (rc < 0 && errno == EINPROGRESS) {
    pollfd poll_fd{fd.get(), POLLOUT, 0};
    int ready;
    do ready = ::poll(&poll_fd, 1, timeout_ms);
    while (ready < 0 && errno == EINTR);
    if (ready == 0) {
      return {{},
              Outcome::TimedOut,
              "the upstream did not accept the connection within " + std::to_string(timeout_ms) +
                  " ms (uwsgi_connect_timeout)"};
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
    rc = error == 0 ? 0 : -1;
    errno = error;
  }
  if (rc < 0) {
    const int error = errno;
    return {{},
            Outcome::Refused,
            "connect() to the upstream failed (" + std::string(std::strerror(error)) + ")"};
  }
  return {std::move(fd), Outcome::Answered, ""};
}

}  // namespace

uwsgi::Vars uwsgi_vars(const UpstreamRequest& request) {
  const std::string* content_type = find_header(request.headers, "Content-Type");
  bool malformed = false;
  std::string path_info = http::percent_decode(request.path, &malformed);
  if (malformed) path_info = request.path;
  uwsgi::Vars vars = {
      {"QUERY_STRING", request.query},
      {"REQUEST_METHOD", request.method},
      {"CONTENT_TYPE", content_type ? *content_type : ""},
      {"CONTENT_LENGTH", request.body.empty() ? "" : std::to_string(request.body.size())},
      {"REQUEST_URI", request.target},
      {"PATH_INFO", path_info},
      {"SERVER_PROTOCOL", request.protocol},
      {"REQUEST_SCHEME", "http"},
      {"REMOTE_ADDR", request.client.host},
      {"REMOTE_PORT", std::to_string(request.client.port)},
      {"SERVER_PORT", std::to_string(request.proxy.port)},
      {"SERVER_NAME", request.proxy.host},
  };
  for (const auto& [name, value] : request.headers) {
    if (http::iequals(name, "Content-Type") || http::iequals(name, "Content-Length")) continue;
    vars.emplace_back(wsgi::http_variable_name(name), value);
  }
  return vars;
}

UpstreamUwsgi::UpstreamUwsgi(server::Endpoint address, int connect_timeout_ms, int read_timeout_ms,
                             std::size_t max_buffer_bytes)
    : address_(std::move(address)),
      connect_timeout_ms_(connect_timeout_ms),
      read_timeout_ms_(read_timeout_ms),
      max_buffer_bytes_(max_buffer_bytes) {}

UpstreamReply UpstreamUwsgi::fetch(const UpstreamRequest& request) {
  UpstreamReply reply;
  const std::string where = " (" + url() + ")";
  std::string packet;
  try {
    packet = uwsgi::encode(uwsgi_vars(request));
  } catch (const std::length_error&) {
    reply.outcome = Outcome::Broken;
    reply.error = "the request's vars do not fit in a uwsgi packet (64 KiB at most)";
    return reply;
  }
  reply.sent = http::escape_bytes(packet, 8192);  // binary: shown with its bytes escaped

  Connected connected = connect_to(address_, connect_timeout_ms_);
  if (!connected.fd) {
    reply.outcome = connected.failure;
    reply.error = connected.error + where;
    return reply;
  }
  server::Connection upstream(connected.fd.release(), address_);
  if (!upstream.write_all(packet, read_timeout_ms_) ||
      !upstream.write_all(request.body, read_timeout_ms_)) {
    reply.outcome = Outcome::Broken;
    reply.error = "the upstream stopped reading the request" + where;
    return reply;
  }

  // uWSGI answers with the status line, headers and body, and closes: read to the close.
  std::string received;
  const std::size_t limit = max_buffer_bytes_ + kMaxHeadBytes;
  for (;;) {
    const auto result = upstream.read_some(received, read_timeout_ms_);
    if (result == server::Connection::ReadResult::Closed) break;
    if (result == server::Connection::ReadResult::Timeout) {
      reply.outcome = Outcome::TimedOut;
      reply.error = "the upstream sent nothing for " + std::to_string(read_timeout_ms_) +
                    " ms (uwsgi_read_timeout)" + where;
      return reply;
    }
    if (result == server::Connection::ReadResult::Failed) {
      reply.outcome = Outcome::Broken;
      reply.error = "the upstream reset the connection" + where;
      return reply;
    }
    if (received.size() > limit) {
      reply.outcome = Outcome::TooLarge;
      reply.error = "the upstream's response is larger than the proxy's " +
                    std::to_string(max_buffer_bytes_) + "-byte buffer" + where;
      return reply;
    }
  }

  const auto head_end = received.find("\r\n\r\n");
  if (head_end == std::string::npos || head_end > kMaxHeadBytes) {
    reply.outcome = Outcome::Broken;
    reply.error = received.empty()
                      ? "the upstream closed the connection without answering" + where
                      : "the upstream's answer has no complete status line and headers" + where;
    return reply;
  }
  std::string error;
  auto head = parse_response_head(std::string_view(received).substr(0, head_end), error);
  if (!head) {
    reply.outcome = Outcome::Broken;
    reply.error = "the upstream sent an invalid response: " + error + where;
    return reply;
  }
  std::string body = received.substr(head_end + 4);
  if (find_header(head->headers, "Transfer-Encoding")) {
    reply.outcome = Outcome::Broken;
    reply.error =
        "the upstream sent a Transfer-Encoding; over uwsgi the body runs to the close" + where;
    return reply;
  }
  if (const std::string* length = find_header(head->headers, "Content-Length")) {
    std::size_t expected = 0;
    bool valid = !length->empty() && length->size() <= 18;
    for (char c : *length) {
      valid = valid && c >= '0' && c <= '9';
      if (valid) expected = expected * 10 + static_cast<std::size_t>(c - '0');
    }
    if (!valid || body.size() < expected) {
      reply.outcome = Outcome::Broken;
      reply.error = valid ? "the upstream closed after " + std::to_string(body.size()) + " of " +
                                *length + " body bytes" + where
                          : "the upstream's Content-Length is not a number" + where;
      return reply;
    }
    body.resize(expected);
  }
  if (body.size() > max_buffer_bytes_) {
    reply.outcome = Outcome::TooLarge;
    reply.error = "the upstream's response is larger than the proxy's " +
                  std::to_string(max_buffer_bytes_) + "-byte buffer" + where;
    return reply;
  }
  reply.outcome = Outcome::Answered;
  reply.status = head->status;
  reply.reason = head->reason;
  reply.headers = std::move(head->headers);
  reply.body = std::move(body);
  return reply;
}

}  // namespace reqtrace::proxy
