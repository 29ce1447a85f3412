#include "sim/server/socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

namespace reqtrace::server {
namespace {

Endpoint endpoint_of(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = {};
  int port = 0;
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, host, sizeof host);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof host);
    port = ntohs(v6.sin6_port);
  }
  return {host, port};
}

// Waits until fd is ready for `events`; false on timeout or failure.
bool wait_for(int fd, short events, int timeout_ms) {
  pollfd poll_fd{fd, events, 0};
  for (;;) {
    int ready = ::poll(&poll_fd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0;
  }
}

}  // namespace

Connection::ReadResult Connection::read_some(std::string& into, int timeout_ms) {
  pollfd poll_fd{fd_.get(), POLLIN, 0};
  int ready;
  do ready = ::poll(&poll_fd, 1, timeout_ms);
  while (ready < 0 && errno == EINTR);
  if (ready == 0) return ReadResult::Timeout;
  if (ready < 0) return ReadResult::Failed;
  char buffer[16384];
  ssize_t n;
  do n = ::recv(fd_.get(), buffer, sizeof buffer, 0);
  while (n < 0 && errno == EINTR);
  if (n == 0) return ReadResult::Closed;
  if (n < 0) return ReadResult::Failed;
  into.append(buffer, static_cast<std::size_t>(n));
  return ReadResult::Data;
}

bool Connection::write_all(std::string_view bytes, int timeout_ms) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
        wait_for(fd_.get(), POLLOUT, timeout_ms))
      continue;
    return false;
  }
  return true;
}

void Connection::cork(bool on) {
  int value = on ? 1 : 0;
  ::setsockopt(fd_.get(), IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}

void Connection::shutdown_write() {
  ::shutdown(fd_.get(), SHUT_WR);
}

void Connection::linger(int total_ms, int quiet_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(total_ms);
  char discard[16384];
  for (;;) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
            .count();
    if (left <= 0) return;
    if (!wait_for(fd_.get(), POLLIN, static_cast<int>(std::min<long long>(left, quiet_ms)))) return;
    ssize_t n;
    do n = ::recv(fd_.get(), discard, sizeof discard, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return;
  }
}

std::unique_ptr<ListeningSocket> ListeningSocket::listen(const ServerConfig& config,
                                                         std::string& error) {
  auto http = listen(config.host, config.port, config.backlog, error);
  if (!http || config.uwsgi_port < 0) return http;
  auto uwsgi = listen(config.host, config.uwsgi_port, config.backlog, error);
  if (!uwsgi) {
    error = "uwsgi socket: " + error;
    return nullptr;
  }
  // Take over the second socket's fd; its own wake-up is not needed.
  http->uwsgi_fd_ = std::move(uwsgi->fd_);
  http->uwsgi_address_ = uwsgi->address_;
  return http;
}

std::unique_ptr<ListeningSocket> ListeningSocket::listen(const std::string& host, int port,
                                                         int backlog, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    error = "cannot resolve host \"" + host + "\": " + gai_strerror(rc);
    return nullptr;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  FileDescriptor fd(::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                             found->ai_protocol));
  if (!fd) {
    error = std::string("socket(): ") + std::strerror(errno);
    return nullptr;
  }
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), found->ai_addr, found->ai_addrlen) < 0 || ::listen(fd.get(), backlog) < 0) {
    error = "cannot listen on " + host + ":" + service + ": " + std::strerror(errno);
    return nullptr;
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &length);
  int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  return std::unique_ptr<ListeningSocket>(
      new ListeningSocket(fd.release(), wake_fd, endpoint_of(bound)));
}

std::optional<Connection> ListeningSocket::accept() {
  // A closed fd (-1) in the set is ignored by poll(), so one code path serves one or two sockets.
  pollfd fds[3] = {
      {wake_fd_.get(), POLLIN, 0}, {fd_.get(), POLLIN, 0}, {uwsgi_fd_.get(), POLLIN, 0}};
  for (;;) {
    int ready = ::poll(fds, 3, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || (fds[0].revents & POLLIN)) return std::nullopt;
    const bool uwsgi_first = !uwsgi_first_.load(std::memory_order_relaxed);
    uwsgi_first_.store(uwsgi_first, std::memory_order_relaxed);
    for (int turn = 0; turn < 2; ++turn) {
      const bool uwsgi = (turn == 0) == uwsgi_first;
      const pollfd& listening = fds[uwsgi ? 2 : 1];
      if (listening.fd < 0 || !(listening.revents & POLLIN)) continue;
      std::optional<Connection> connection = accept_now(uwsgi ? Protocol::Uwsgi : Protocol::Http);
      if (connection) return connection;
      // Another worker took it, or the client gave up: wait for the next.
      if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) continue;
      return std::nullopt;
    }
  }
}

std::optional<Connection> ListeningSocket::accept_now(Protocol protocol) {
  const bool uwsgi = protocol == Protocol::Uwsgi;
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  const int fd = ::accept4(uwsgi ? uwsgi_fd_.get() : fd_.get(), reinterpret_cast<sockaddr*>(&peer),
                           &length, SOCK_CLOEXEC);
  if (fd < 0) return std::nullopt;  // errno says why
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (uwsgi) return Connection(fd, endpoint_of(peer), Protocol::Uwsgi, *uwsgi_address_);
  return Connection(fd, endpoint_of(peer), Protocol::Http, address_);
}

void ListeningSocket::wake() {
  std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wake_fd_.get(), &one, sizeof one);
}

}  // namespace reqtrace::server
