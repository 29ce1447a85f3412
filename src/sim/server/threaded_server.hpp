// The threaded server model: a pool of worker threads sharing one listening socket, like gunicorn's
// gthread worker and Werkzeug's threaded server.
#pragma once

#include "sim/server/wsgi_server.hpp"
#include "sim/wsgi/application.hpp"

namespace reqtrace::server {

class ThreadedServer : public WsgiServer {
 public:
  // `threads` workers call accept() on the same socket; the kernel hands each
  // connection to one of the idle ones. They share one app, so environ says
  // wsgi.multithread = True.
  ThreadedServer(ServerConfig config, int threads, wsgi::Application& app, trace::Emitter emitter);
  ~ThreadedServer() override;

  // Serves until stop(): starts the pool and waits for it.
  void serve_forever() override;

 private:
  Announcement announcement() const override;

  int threads_;
  wsgi::Application& app_;
};

}  // namespace reqtrace::server
