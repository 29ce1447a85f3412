// TCP sockets for the server: a listening socket and one accepted connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace reqtrace::server {

// The address at one end of a connection.
struct Endpoint {
  std::string host;
  int port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
};

// One accepted connection. Reads and writes wait at most the given timeout.
class Connection {
 public:
  Connection(int fd, Endpoint peer) : fd_(fd), peer_(std::move(peer)) {}
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;

  enum class ReadResult { Data, Closed, Timeout, Failed };
  // Appends what arrived to `into`.
  ReadResult read_some(std::string& into, int timeout_ms);
  bool write_all(std::string_view bytes, int timeout_ms);

  // While corked, writes gather in the kernel and leave together when uncorked
  // (TCP_CORK), so a response goes out in as few segments as possible.
  void cork(bool on);
  // Stop sending (FIN) but keep reading, so the client sees the end first.
  void shutdown_write();
  const Endpoint& peer() const { return peer_; }

 private:
  int fd_;
  Endpoint peer_;
};

// A socket bound and listening, with a way for another thread to wake accept().
class ListeningSocket {
 public:
  ~ListeningSocket();
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;

  // nullopt with `error` set when the address cannot be bound.
  static std::unique_ptr<ListeningSocket> listen(const std::string& host, int port, int backlog,
                                                 std::string& error);
  // Waits for a connection; nullopt once wake() was called or on a failure.
  std::optional<Connection> accept();
  void wake();  // thread-safe; makes accept() return nullopt from now on
  const Endpoint& address() const { return address_; }
  int fd() const { return fd_; }

 private:
  ListeningSocket(int fd, int wake_fd, Endpoint address)
      : fd_(fd), wake_fd_(wake_fd), address_(std::move(address)) {}
  int fd_;
  int wake_fd_;
  Endpoint address_;
};

}  // namespace reqtrace::server
