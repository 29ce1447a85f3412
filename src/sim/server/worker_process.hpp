// A worker process the arbiter has just forked (gunicorn's Arbiter.spawn_worker, then
// Worker.init_process): it records on the arbiter's clock, imports the app (or serves the one
// the arbiter preloaded), serves with its worker class until told to stop, and exits.
#pragma once

#include <functional>
#include <string>

#include "sim/server/app_factory.hpp"
#include "sim/server/file_descriptor.hpp"
#include "sim/server/worker_tmp.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// The timeline lane of worker `number`'s main thread: "worker-1".
std::string worker_lane(int number);

// What ties a worker to its arbiter besides the socket (gunicorn's Worker.tmp, Worker.PIPE and
// Worker.timeout): the worker's loop notify()s `tmp` at each turn and waits at most `wait_ms`
// for a connection, so an idle worker still proves it is alive; `quit_fd` turns readable once
// SIGTERM asked it to finish what it holds and go (handle_exit). The defaults: no arbiter.
struct ArbiterLink {
  WorkerTmp* tmp = nullptr;
  int quit_fd = -1;
  int wait_ms = -1;  // gunicorn passes the worker timeout / 2; -1: no limit
  void notify() const {
    if (tmp) tmp->notify();
  }
  // Whether SIGTERM has come: quit_fd is readable (it stays so).
  bool terminated() const;
};

// What the worker class does once the app is built (sync: accept and serve; gthread: poll and
// hand to a pool), with the process's `recorder` and its voice as worker `number`.
using WorkerServe =
    std::function<void(wsgi::Application& app, trace::Recorder* recorder,
                       const trace::Emitter& worker_voice, const ArbiterLink& link)>;

// Where a worker's app comes from: the one the arbiter built before forking (--preload), else
// `make_app` in the worker, after the fork (Worker.load_wsgi).
struct WorkerApp {
  const AppFactory& make_app;
  wsgi::Application* preloaded = nullptr;
};

// gunicorn's exit status for a worker whose app would not import (arbiter.py APP_LOAD_ERROR):
// the arbiter halts when it reaps one.
inline constexpr int kAppLoadError = 4;

// In the process the arbiter just forked: installs the worker's signal handlers (SIGTERM: finish
// and go, as Worker.handle_exit; SIGABRT: exit 1 at once, as Worker.handle_abort), records down
// `events` with its copy of `workers_recorder` (made before any fork, with nothing held in it),
// says so, gets its app, calls `serve` with its link to the arbiter (`tmp`, waits of `wait_ms`)
// and exits. Never returns.
[[noreturn]] void run_worker_process(int number, const WorkerApp& app,
                                     trace::Recorder* workers_recorder, FileDescriptor events,
                                     WorkerTmp* tmp, int wait_ms, const WorkerServe& serve);

}  // namespace reqtrace::server
