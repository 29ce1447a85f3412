// The threaded server model: a pool of worker threads sharing one listening socket, like gunicorn's
// gthread worker and Werkzeug's threaded server.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/wsgi_server.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

class ThreadedServer : public WsgiServer {
 public:
  // `threads` workers call accept() on the same socket; the kernel hands each
  // connection to one of the idle ones. They share one app, so environ says
  // wsgi.multithread = True.
  ThreadedServer(ServerConfig config, int threads, wsgi::Application& app, trace::Emitter emitter);
  ~ThreadedServer();

  bool listen(std::string& error) override;
  const Endpoint& address() const override;
  std::optional<Endpoint> uwsgi_address() const override { return socket_->uwsgi_address(); }
  // Serves until stop(): starts the pool and waits for it.
  void serve_forever() override;
  void stop() override;

 private:
  ServerConfig config_;
  int threads_;
  wsgi::Application& app_;
  trace::Emitter emit_;
  std::unique_ptr<ListeningSocket> socket_;
  std::atomic<int> next_req_{0};
};

}  // namespace reqtrace::server
