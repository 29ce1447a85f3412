// The master process, as gunicorn's arbiter.py: it binds the listening socket (Arbiter.start ->
// sock.create_sockets), forks the workers, which inherit it (spawn_workers), serves no request
// itself, replaces any worker that dies, and at stop wakes them and waits graceful_timeout for
// them to go. It runs in a single-threaded process of its own (see ServerProcess).
#pragma once

#include <atomic>
#include <string>

#include "sim/server/app_factory.hpp"
#include "sim/server/gthread_worker.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/supervisor.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// gunicorn's worker_class (-k): what each worker process runs.
struct WorkerClass {
  enum class Kind { Sync, Gthread };
  Kind kind = Kind::Sync;
  GthreadSettings gthread;  // for Kind::Gthread
};

class Arbiter {
 public:
  // `socket` is the one the arbiter bound. `recorder` continues the trace in the arbiter's
  // process (null when nothing is recorded) and goes up `events_fd`, which workers close: their
  // own events come up through the arbiter. The arbiter's own events go on `lane`, the server's.
  Arbiter(const ServerConfig& config, int workers, WorkerClass worker_class,
          const AppFactory& make_app, ListeningSocket& socket, std::atomic<int>& next_req,
          trace::Recorder* recorder, int events_fd, std::string lane);
  Arbiter(const Arbiter&) = delete;
  Arbiter& operator=(const Arbiter&) = delete;

  // gunicorn's Arbiter.run(): spawn the workers, then loop (sleep, reap, manage) until the
  // readable `stop_fd` says stop, and return once every worker is gone. Returns the exit status.
  int run(int stop_fd);

 private:
  void spawn_worker(int number);
  // The workers that exited: each gets an exit event and, unless stopping, a replacement.
  void reap_workers();

  const ServerConfig& config_;
  int worker_count_;
  WorkerClass worker_class_;
  const AppFactory& make_app_;
  ListeningSocket& socket_;
  std::atomic<int>& next_req_;
  trace::Recorder* recorder_;
  int events_fd_;
  std::string lane_;
  Supervisor workers_;
};

}  // namespace reqtrace::server
