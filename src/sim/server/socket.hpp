// TCP sockets for the server: the listening sockets (HTTP, and uwsgi when asked) and one accepted
// connection.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sim/server/file_descriptor.hpp"
#include "sim/server/server_config.hpp"

namespace reqtrace::server {

// The address at one end of a connection.
struct Endpoint {
  std::string host;
  int port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
};

// What a connection speaks: which listening socket it came in on decides it.
enum class Protocol { Http, Uwsgi };

// One accepted connection. Reads and writes wait at most the given timeout.
class Connection {
 public:
  Connection(int fd, Endpoint peer, Protocol protocol = Protocol::Http, Endpoint local = {})
      : fd_(fd), peer_(std::move(peer)), protocol_(protocol), local_(std::move(local)) {}
  Connection(Connection&& other) noexcept = default;
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
  // nginx's lingering close (ngx_http_set_lingering_close): after a refusal sent before the
  // body was read, read and throw away what the client still sends until it closes, is quiet
  // for `quiet_ms`, or `total_ms` have passed. Closing with its bytes unread would make the
  // kernel answer them with a reset, and a client still writing its body (Python's http.client)
  // fails on that write before it ever reads the refusal.
  void linger(int total_ms, int quiet_ms);
  const Endpoint& peer() const { return peer_; }
  int fd() const { return fd_.get(); }  // for a poller that watches it between requests
  Protocol protocol() const { return protocol_; }
  // The listening address the connection came in on.
  const Endpoint& local() const { return local_; }

 private:
  FileDescriptor fd_;
  Endpoint peer_;
  Protocol protocol_;
  Endpoint local_;
};

// A socket bound and listening, with a way for another thread to wake accept(). It may also
// listen on a second port that speaks uwsgi (for nginx's uwsgi_pass), as uWSGI does with
// --http-socket and --socket side by side; accept() then waits on both.
class ListeningSocket {
 public:
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;

  // nullopt with `error` set when the address cannot be bound.
  static std::unique_ptr<ListeningSocket> listen(const std::string& host, int port, int backlog,
                                                 std::string& error);
  // The HTTP socket of config, and its uwsgi socket too when config.uwsgi_port is not -1.
  static std::unique_ptr<ListeningSocket> listen(const ServerConfig& config, std::string& error);
  // Waits for a connection on either socket; nullopt once wake() was called or on a failure.
  // The connection knows which protocol it speaks.
  std::optional<Connection> accept();
  void wake();  // thread-safe; makes accept() return nullopt from now on
  // Readable once wake() was called: for a poller that waits on the sockets itself.
  int wake_fd() const { return wake_fd_.get(); }
  // accept(2) once on the socket that speaks `protocol`, without waiting: for a poller that saw
  // it readable (gunicorn gthread's accept()). nullopt when the connection was gone by then
  // (another process took it, or the client gave up).
  std::optional<Connection> accept_now(Protocol protocol);
  const Endpoint& address() const { return address_; }
  // Where uwsgi is spoken, when it is.
  const std::optional<Endpoint>& uwsgi_address() const { return uwsgi_address_; }
  int fd() const { return fd_.get(); }
  int uwsgi_fd() const { return uwsgi_fd_.get(); }  // -1 without a uwsgi socket; for poll()

 private:
  ListeningSocket(int fd, int wake_fd, Endpoint address)
      : fd_(fd), wake_fd_(wake_fd), address_(std::move(address)) {}
  FileDescriptor fd_;
  FileDescriptor wake_fd_;
  Endpoint address_;
  FileDescriptor uwsgi_fd_;
  std::optional<Endpoint> uwsgi_address_;
  // Which socket accept() tried first last time: taking turns keeps either from starving.
  std::atomic<bool> uwsgi_first_{false};
};

}  // namespace reqtrace::server
