// The pre-fork model: an arbiter process binds the socket and forks N worker processes, each with
// its own app, as gunicorn does.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/server/app_factory.hpp"
#include "sim/server/child_events.hpp"
#include "sim/server/request_number.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/server_process.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/wsgi_server.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

class PreforkServer : public WsgiServer {
 public:
  PreforkServer(ServerConfig config, int workers, AppFactory make_app, trace::Emitter emitter);
  ~PreforkServer() override;

  // Binds, then starts the arbiter process (see ServerProcess), which forks the workers, forks
  // a replacement for any worker that dies, and stops them all at stop().
  bool listen(std::string& error) override;
  const Endpoint& address() const override;
  std::optional<Endpoint> uwsgi_address() const override { return socket_->uwsgi_address(); }
  // Relays the arbiter's and the workers' events into this process's trace. Returns once the
  // arbiter and every worker are gone.
  void serve_forever() override;
  void stop() override;

 private:
  struct Worker {
    int number = 0;  // 1..N: its lane is worker-<number>
    pid_t pid = -1;
    ChildEvents events;  // the pipe its events come to the arbiter through
  };
  // The arbiter process's one thread, as gunicorn's: fork, watch, reap, replace. Returns its
  // exit status.
  int arbiter_loop(trace::Recorder* recorder, int events_fd);
  bool spawn(Worker& worker, trace::Recorder* arbiter_recorder, int arbiter_events_fd);
  [[noreturn]] void run_worker(int number, trace::Recorder* arbiter_recorder, int events_fd);
  void reap(std::vector<Worker>& workers, bool stopping, trace::Recorder* recorder, int events_fd);

  ServerConfig config_;
  int worker_count_;
  AppFactory make_app_;
  trace::Emitter emit_;
  std::unique_ptr<ListeningSocket> socket_;
  SharedRequestCounter next_req_;  // one numbering for every process
  ServerProcess arbiter_;          // its events and its workers' come through it
};

}  // namespace reqtrace::server
