// The pre-fork model: the server binds the socket and its arbiter process forks N worker
// processes, each with its own app, as gunicorn does.
#pragma once

#include "sim/server/app_factory.hpp"
#include "sim/server/server_process.hpp"
#include "sim/server/wsgi_server.hpp"

namespace reqtrace::server {

class PreforkServer : public WsgiServer {
 public:
  PreforkServer(ServerConfig config, int workers, AppFactory make_app, trace::Emitter emitter);
  ~PreforkServer() override;

  // Relays the arbiter's and the workers' events into this process's trace. Returns once the
  // arbiter and every worker are gone.
  void serve_forever() override;
  void stop() override;

 private:
  Announcement announcement() const override;
  // Starts the arbiter's process (see Arbiter), which forks the workers, forks a replacement for
  // any worker that dies, and stops them all at stop().
  bool start(std::string& error) override;

  int worker_count_;
  AppFactory make_app_;
  ServerProcess arbiter_;  // its events and its workers' come through it
};

}  // namespace reqtrace::server
