// The nginx-like proxy: listens on the front door, serves static files itself and passes the
// rest to the upstream WSGI server, a thread per client connection.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "sim/proxy/proxy_config.hpp"
#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::proxy {

class StaticFiles;
class Upstream;

class ProxyServer {
 public:
  ProxyServer(ProxyConfig config, trace::Emitter emitter);
  ~ProxyServer();
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;

  // Opens static_root and binds; false with `error` set when either cannot be done.
  bool listen(std::string& error);
  const server::Endpoint& address() const;

  // Accepts clients until stop(), each served on its own thread; returns once all are done.
  void serve_forever();
  void stop();  // from any thread

 private:
  ProxyConfig config_;
  trace::Emitter emit_;
  std::unique_ptr<server::ListeningSocket> socket_;
  std::unique_ptr<StaticFiles> static_files_;
  std::unique_ptr<Upstream> upstream_;
  std::atomic<int> next_req_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace reqtrace::proxy
