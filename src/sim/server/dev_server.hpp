// The development server model "dev": one thread, one connection at a time, like Werkzeug's
// BaseWSGIServer (run_simple without threaded or processes).
#pragma once

#include "sim/server/werkzeug_startup.hpp"
#include "sim/server/wsgi_server.hpp"
#include "sim/wsgi/application.hpp"

namespace reqtrace::server {

class DevServer : public WsgiServer {
 public:
  DevServer(ServerConfig config, wsgi::Application& app, trace::Emitter emitter);

  // Accepts and serves connections one after another until stop(). While one
  // client is served, the next waits in the kernel's backlog: that is the lesson.
  void serve_forever() override;

 private:
  Announcement announcement() const override;
  void binding() override { startup_.run_simple(emit_); }
  void bound() override { startup_.socket_ready(emit_, address(), config_.backlog); }

  wsgi::Application& app_;
  WerkzeugStartup startup_{WerkzeugServer::Base};
};

}  // namespace reqtrace::server
