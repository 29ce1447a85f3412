// A test client that writes exact bytes to a server and reads what comes back, for cases no polite
// client would send.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace reqtrace::testing {

class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  void finish_sending() { ::shutdown(fd_, SHUT_WR); }

  // Everything until the server closes, or until `timeout_ms` passes quietly.
  std::string read_until_close(int timeout_ms = 5000) {
    std::string out;
    char buffer[4096];
    for (;;) {
      pollfd poll_fd{fd_, POLLIN, 0};
      if (::poll(&poll_fd, 1, timeout_ms) <= 0) break;
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;  // the end of the stream, or a reset: the server is done with it
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }
  // Whether the last read_until_close ended because the server closed, not because it went quiet.
  bool closed() const { return closed_; }

  // What one recv() returns once something arrives; empty on close or after `timeout_ms`.
  std::string read_some(int timeout_ms) {
    pollfd poll_fd{fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, timeout_ms) <= 0) return {};
    char buffer[65536];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n <= 0 ? std::string() : std::string(buffer, static_cast<std::size_t>(n));
  }

  // Reads until `bytes` of body after the head have come, for keep-alive exchanges.
  std::string read_response(int timeout_ms = 5000) {
    std::string out;
    char buffer[4096];
    for (;;) {
      auto head_end = out.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        auto length_at = out.find("Content-Length: ");
        if (length_at != std::string::npos && length_at < head_end) {
          std::size_t length = std::stoul(out.substr(length_at + 16));
          if (out.size() >= head_end + 4 + length) return out.substr(0, head_end + 4 + length);
        }
      }
      pollfd poll_fd{fd_, POLLIN, 0};
      if (::poll(&poll_fd, 1, timeout_ms) <= 0) return out;
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return out;
      out.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

}  // namespace reqtrace::testing
