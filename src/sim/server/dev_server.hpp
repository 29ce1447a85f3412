// The development server model "dev": one thread, one connection at a time, like Werkzeug's
// BaseWSGIServer (run_simple without threaded or processes).
#pragma once

#include "sim/server/werkzeug_wsgi_server.hpp"
#include "sim/wsgi/application.hpp"

namespace reqtrace::server {

class DevServer : public WerkzeugWsgiServer {
 public:
  DevServer(ServerConfig config, wsgi::Application& app, trace::Emitter emitter);

  // Accepts and serves connections one after another until stop(). While one
  // client is served, the next waits in the kernel's backlog: that is the lesson.
  void serve_forever() override;

 private:
  Announcement announcement() const override;

  wsgi::Application& app_;
};

}  // namespace reqtrace::server
