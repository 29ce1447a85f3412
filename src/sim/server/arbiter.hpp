// The master process, as gunicorn's arbiter.py: it binds the listening socket (Arbiter.start ->
// sock.create_sockets), imports the app first when told to preload it, forks the workers, which
// inherit the socket (spawn_workers), serves no request itself, kills a worker silent past its
// timeout (murder_workers), keeps the number of workers (manage_workers), replaces them all when
// the app's file changes (reload, as on SIGHUP), and at stop wakes them and waits
// graceful_timeout for them to go. It runs in a single-threaded process of its own (see
// ServerProcess).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "sim/server/app_factory.hpp"
#include "sim/server/app_file_watch.hpp"
#include "sim/server/gthread_worker.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/supervisor.hpp"
#include "sim/server/worker_tmp.hpp"
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
  ~Arbiter();
  Arbiter(const Arbiter&) = delete;
  Arbiter& operator=(const Arbiter&) = delete;

  // gunicorn's Arbiter.run(): preload the app if told to, spawn the workers, then loop (sleep,
  // reap, murder, reload, manage) until the readable `stop_fd` says stop, and return once every
  // worker is gone. Returns the exit status.
  int run(int stop_fd);

 private:
  // What the arbiter knows of one worker (gunicorn's Worker object in WORKERS).
  struct Worker {
    int number = 0;  // its lane: the lowest number no live worker has
    int age = 0;     // Arbiter.worker_age when it was forked: the oldest go first
    WorkerTmp tmp;   // its heartbeat
    std::optional<std::chrono::steady_clock::time_point> aborted;  // when SIGABRT was sent
    bool terminated = false;  // sent SIGTERM by manage_workers: it finishes and goes
  };

  void spawn_worker();
  // The workers that exited, each with an exit event. false when one could not import the app:
  // gunicorn halts then (reap_workers: APP_LOAD_ERROR raises HaltServer).
  bool reap_workers();
  // A worker silent past the timeout gets SIGABRT, and SIGKILL at a later pass if still there.
  void murder_workers();
  // Forks workers up to the count; sends SIGTERM to the oldest beyond it.
  void manage_workers();
  // The app's file changed: new workers first, then the old ones are told to go.
  void reload();
  // Halts: every worker is woken to go, and the run ends once they are gone.
  void halt();
  trace::Emitter voice() const;

  const ServerConfig& config_;
  int worker_count_;
  WorkerClass worker_class_;
  const AppFactory& make_app_;
  ListeningSocket& socket_;
  std::atomic<int>& next_req_;
  trace::Recorder* recorder_;
  // The recorder each worker continues in its copy: made before any fork and always empty then,
  // so what the preloaded app says while the arbiter builds it is handed over at once.
  std::unique_ptr<trace::Recorder> workers_recorder_;
  std::unique_ptr<wsgi::Application> preloaded_;
  int events_fd_;
  std::string lane_;
  Supervisor supervisor_;
  std::map<pid_t, Worker> workers_;  // gunicorn's WORKERS
  int worker_age_ = 0;
  AppFileWatch app_file_;
  int exit_status_ = 0;
};

}  // namespace reqtrace::server
