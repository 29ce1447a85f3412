// The model "dev-threaded": Werkzeug's ThreadedWSGIServer, what app.run() and flask run serve
// with since Flask 1.0. socketserver's ThreadingMixIn starts a new thread for every connection,
// with no limit.
#pragma once

#include "sim/server/werkzeug_wsgi_server.hpp"
#include "sim/wsgi/application.hpp"

namespace reqtrace::server {

class ThreadedWsgiServer : public WerkzeugWsgiServer {
 public:
  // The threads share one app, so environ says wsgi.multithread = True.
  ThreadedWsgiServer(ServerConfig config, wsgi::Application& app, trace::Emitter emitter);
  ~ThreadedWsgiServer() override;

  // Accepts on this thread until stop(); each connection is served on a thread started for it
  // ("thread-N" on the timeline), which ends when its connection does. Waits for them at stop.
  void serve_forever() override;

 private:
  Announcement announcement() const override;

  wsgi::Application& app_;
};

}  // namespace reqtrace::server
