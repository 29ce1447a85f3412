#include "sim/server/worker_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>

#include "sim/server/child_events.hpp"

namespace reqtrace::server {
namespace {

// The write end of the worker's own pipe (gunicorn's Worker.PIPE), for its SIGTERM handler.
volatile std::sig_atomic_t quit_write_fd = -1;

// Worker.handle_exit: alive = False. The byte wakes the loop's wait, as the signal's EINTR
// wakes gunicorn's select(); the loop then finishes what it holds and returns.
extern "C" void on_sigterm(int) {
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] auto written = ::write(quit_write_fd, &byte, 1);
  errno = saved;
}

// Worker.handle_abort: sys.exit(1), whatever the worker was doing. No flush, no unwinding: only
// _exit() is safe here, and the client's connection closes with the process, unanswered.
extern "C" void on_sigabrt(int) {
  ::_exit(1);
}

void handle(int signal, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  action.sa_flags = SA_RESTART;  // a read or write in hand goes on; only waits see EINTR
  sigemptyset(&action.sa_mask);
  ::sigaction(signal, &action, nullptr);
}

}  // namespace

bool ArbiterLink::terminated() const {
  pollfd check{quit_fd, POLLIN, 0};
  return quit_fd >= 0 && ::poll(&check, 1, 0) > 0 && (check.revents & POLLIN);
}

std::string worker_lane(int number) {
  return "worker-" + std::to_string(number);
}

void run_worker_process(int number, const WorkerApp& app, trace::Recorder* workers_recorder,
                        FileDescriptor events, WorkerTmp* tmp, int wait_ms,
                        const WorkerServe& serve) {
  int code = 0;
  // Worker.init_process: the pipe to wake itself, then init_signals.
  Pipe quit;
  if (quit.open()) {
    ::fcntl(quit.write.get(), F_SETFL, O_NONBLOCK);  // a handler never blocks
    quit_write_fd = quit.write.get();
  }
  handle(SIGTERM, on_sigterm);
  handle(SIGABRT, on_sigabrt);
  trace::Recorder* recorder = workers_recorder;
  if (recorder) {
    send_events_down(*recorder, events.get());
    recorder->start_background_flush(std::chrono::milliseconds(10));
  }
  const trace::Emitter worker_voice(recorder, trace::Actor::Worker, worker_lane(number));
  const std::string worker = "Worker " + std::to_string(number);
  worker_voice(trace::Phase::Fork, 0, trace::kServerInternals,
               "Arbiter forks worker " + std::to_string(number) + ": a new process, pid " +
                   std::to_string(::getpid()) + ", with a copy of the listening socket",
               {}, {{"pid", ::getpid()}, {"arbiter_pid", ::getppid()}});
  std::unique_ptr<wsgi::Application> own;
  wsgi::Application* served = app.preloaded;
  if (!served) {
    // Worker.load_wsgi, in the worker after the fork: the arbiter never imported the app.
    // The app's actor on the worker's own lane: the timeline shows which process imports it.
    trace::Emitter(recorder, trace::Actor::App, worker_voice.lane())(
        trace::Phase::Boot, 0, trace::kServerInternals,
        worker +
            " imports the app after the fork (Worker.load_wsgi): its own copy, "
            "which no other worker sees",
        {}, {{"pid", ::getpid()}, {"preload", false}});
    try {
      own = app.make_app(trace::Emitter(recorder, trace::Actor::App, "app"));
      served = own.get();
    } catch (const std::exception& failure) {
      // Arbiter.spawn_worker: an AppImportError is printed to stderr and the worker exits
      // APP_LOAD_ERROR, which halts the arbiter.
      worker_voice(trace::Phase::Error, 0, trace::kOverview,
                   worker + " could not import the app: " + std::string(failure.what()), {},
                   {{"error", failure.what()}});
      std::fprintf(stderr, "%s\n", failure.what());
      code = kAppLoadError;
    }
  }
  if (served) {
    try {
      const ArbiterLink link{tmp, quit.read.get(), wait_ms};
      serve(*served, recorder, worker_voice, link);
    } catch (...) {
      code = 1;
    }
  }
  finish_child_events(recorder);
  events.reset();
  ::_exit(code);  // no atexit handlers or static destructors: they belong to the parent
}

}  // namespace reqtrace::server
