// The development server model: one thread, one connection at a time, like Werkzeug's
// BaseWSGIServer.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/wsgi_server.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

class DevServer : public WsgiServer {
 public:
  DevServer(ServerConfig config, wsgi::Application& app, trace::Emitter emitter);

  // Binds and listens; false with `error` set when the address is taken or invalid.
  bool listen(std::string& error) override;
  const Endpoint& address() const override;
  std::optional<Endpoint> uwsgi_address() const override { return socket_->uwsgi_address(); }

  // Accepts and serves connections one after another until stop(). While one
  // client is served, the next waits in the kernel's backlog: that is the lesson.
  void serve_forever() override;
  void stop() override;  // from any thread

 private:
  ServerConfig config_;
  wsgi::Application& app_;
  trace::Emitter emit_;
  std::unique_ptr<ListeningSocket> socket_;
  std::atomic<int> next_req_{0};
};

}  // namespace reqtrace::server
