// gunicorn's pre-fork server: its arbiter, the master process, binds the socket and forks N
// worker processes of one worker class (sync, or gthread with its pool of threads), each with its
// own app, which accept on the socket they inherited.
#pragma once

#include "sim/server/app_factory.hpp"
#include "sim/server/arbiter.hpp"
#include "sim/server/server_process.hpp"
#include "sim/server/wsgi_server.hpp"

namespace reqtrace::server {

class PreforkServer : public WsgiServer {
 public:
  PreforkServer(ServerConfig config, int workers, WorkerClass worker_class, AppFactory make_app,
                trace::Emitter emitter);
  ~PreforkServer() override;

  // Relays the arbiter's and the workers' events into this process's trace. Returns once the
  // arbiter and every worker are gone.
  void serve_forever() override;
  void stop() override;

 private:
  Announcement announcement() const override;
  // Starts the arbiter's process (see Arbiter), which binds the socket and says so, tells this
  // process the address, forks the workers, forks a replacement for any worker that dies, and
  // stops them all at stop(). This process never holds the socket.
  bool bind_and_start(std::string& error) override;

  int worker_count_;
  WorkerClass worker_class_;
  AppFactory make_app_;
  ServerProcess arbiter_;  // its events and its workers' come through it
};

}  // namespace reqtrace::server
