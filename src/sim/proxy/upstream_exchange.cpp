#include "sim/proxy/upstream_exchange.hpp"

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

#include "sim/proxy/forwarded_headers.hpp"
#include "sim/proxy/response_head.hpp"
#include "sim/server/file_descriptor.hpp"

namespace reqtrace::proxy {
namespace {

using Outcome = UpstreamReply::Outcome;

struct Connected {
  server::FileDescriptor fd;
  Outcome failure = Outcome::Broken;  // when fd is not open
  std::string error;
};

// A non-blocking connect() bounded by timeout_ms, which is how nginx tells a refused upstream
// (502) from one that does not answer at all (504).
Connected connect_to(const server::Endpoint& address, int timeout_ms, std::string_view prefix) {
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
                  " ms (" + std::string(prefix) + "_connect_timeout)"};
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
            "connect() to the upstream failed: nothing accepts connections there (" +
                std::string(std::strerror(error)) + ")"};
  }
  return {std::move(fd), Outcome::Answered, ""};
}

bool bodiless(int status) {
  return status < 200 || status == 204 || status == 304;
}

// A Content-Length of digits only; false for anything else.
bool parse_length(const std::string& text, std::size_t& length) {
  if (text.empty() || text.size() > 18) return false;
  length = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    length = length * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

}  // namespace

UpstreamReply exchange(const server::Endpoint& address, std::string_view request,
                       const UpstreamLimits& limits, std::string_view prefix, bool no_body,
                       ResponseSink& sink) {
  UpstreamReply reply;
  const std::string where = " (" + address.to_string() + ")";
  auto fail = [&](Outcome outcome, std::string error) {
    reply.outcome = outcome;
    reply.error = std::move(error) + where;
    return reply;
  };
  Connected connected = connect_to(address, limits.connect_ms, prefix);
  if (!connected.fd) return fail(connected.failure, connected.error);
  server::Connection upstream(connected.fd.release(), address);
  if (!upstream.write_all(request, limits.read_ms))
    return fail(Outcome::Broken, "the upstream stopped reading the request");

  // Reads more; false with the reply filled in when the upstream failed or went quiet.
  std::string received;
  bool closed = false;
  auto read_more = [&]() {
    switch (upstream.read_some(received, limits.read_ms)) {
      case server::Connection::ReadResult::Data:
        return true;
      case server::Connection::ReadResult::Closed:
        closed = true;
        return true;
      case server::Connection::ReadResult::Timeout:
        fail(Outcome::TimedOut, "the upstream sent nothing for " + std::to_string(limits.read_ms) +
                                    " ms (" + std::string(prefix) + "_read_timeout)");
        return false;
      case server::Connection::ReadResult::Failed:
        break;
    }
    fail(Outcome::Broken, "the upstream reset the connection");
    return false;
  };

  std::size_t head_end;
  while ((head_end = received.find("\r\n\r\n")) == std::string::npos) {
    if (received.size() > limits.head_bytes)
      return fail(Outcome::Broken, "the upstream sent too big a header: more than the " +
                                       std::to_string(limits.head_bytes) + " bytes of " +
                                       std::string(prefix) + "_buffer_size");
    if (closed)
      return fail(Outcome::Broken, received.empty()
                                       ? "the upstream closed the connection without answering"
                                       : "the upstream closed or reset the connection, or sent "
                                         "something that is not an HTTP response");
    if (!read_more()) return reply;
  }
  if (head_end + 4 > limits.head_bytes)
    return fail(Outcome::Broken, "the upstream sent too big a header: more than the " +
                                     std::to_string(limits.head_bytes) + " bytes of " +
                                     std::string(prefix) + "_buffer_size");
  std::string error;
  auto head = parse_response_head(std::string_view(received).substr(0, head_end), error);
  if (!head)
    return fail(Outcome::Broken,
                "the upstream sent something that is not an HTTP response: " + error);
  if (find_header(head->headers, "Transfer-Encoding"))
    return fail(Outcome::Broken,
                "the upstream answered a request without keep-alive with a Transfer-Encoding");
  std::size_t expected = 0;
  const std::string* length = find_header(head->headers, "Content-Length");
  if (length && !parse_length(*length, expected))
    return fail(Outcome::Broken, "the upstream's Content-Length is not a number");
  bool has_length = length != nullptr;
  if (no_body || bodiless(head->status)) {  // the answer ends with its head
    expected = 0;
    has_length = true;
  }

  reply.head_read = true;
  reply.status = head->status;
  reply.reason = head->reason;
  reply.headers = head->headers;
  sink.head(head->status, head->reason, head->headers, head_end + 4);
  received.erase(0, head_end + 4);
  for (;;) {
    std::string_view piece = received;
    if (has_length && piece.size() > expected - reply.body_bytes)
      piece = piece.substr(0, expected - reply.body_bytes);
    if (!piece.empty()) sink.body(piece);
    reply.body_bytes += piece.size();
    received.clear();
    if (has_length && reply.body_bytes == expected) break;
    if (closed) {
      if (!has_length) break;  // no length: the close ends the body
      return fail(Outcome::Broken, "the upstream closed after " + std::to_string(reply.body_bytes) +
                                       " of " + std::to_string(expected) + " body bytes");
    }
    if (!read_more()) return reply;
  }
  reply.outcome = Outcome::Answered;
  return reply;
}

}  // namespace reqtrace::proxy
