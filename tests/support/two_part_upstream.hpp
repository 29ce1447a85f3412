// An upstream for the proxy tests that answers in two parts, the second only when the test
// says, so a test can see what the proxy passes on while the upstream is still sending.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sim/server/socket.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::testing {

// Sends `first` to each connection, waits until release(), then sends `rest` and closes.
class TwoPartUpstream {
 public:
  TwoPartUpstream(std::string first, std::string rest)
      : first_(std::move(first)), rest_(std::move(rest)) {
    std::string error;
    socket_ = server::ListeningSocket::listen("127.0.0.1", 0, 8, error);
    if (!socket_) return;
    thread_ = std::thread([this] {
      while (auto connection = socket_->accept()) {
        std::string request;
        while (request.find("\r\n\r\n") == std::string::npos &&
               connection->read_some(request, 5000) == server::Connection::ReadResult::Data) {
        }
        connection->write_all(first_, 5000);
        std::unique_lock<std::mutex> lock(mutex_);
        go_changed_.wait_for(lock, std::chrono::seconds(20), [&] { return go_; });
        connection->write_all(rest_, 5000);
        connection->shutdown_write();
      }
    });
  }
  ~TwoPartUpstream() {
    release();
    if (!socket_) return;
    socket_->wake();
    thread_.join();
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex_);
    go_ = true;
    go_changed_.notify_all();
  }
  server::Endpoint address() const { return socket_->address(); }

 private:
  std::string first_, rest_;
  std::mutex mutex_;
  std::condition_variable go_changed_;
  bool go_ = false;
  std::unique_ptr<server::ListeningSocket> socket_;
  std::thread thread_;
};

// Reads from `client` until `bytes` have arrived or `timeout_ms` passes without any.
inline std::string read_at_least(testing::RawClient& client, std::size_t bytes, int timeout_ms) {
  std::string got;
  while (got.size() < bytes) {
    const std::string more = client.read_some(timeout_ms);
    if (more.empty()) break;
    got += more;
  }
  return got;
}

}  // namespace reqtrace::testing
