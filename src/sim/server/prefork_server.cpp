#include "sim/server/prefork_server.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>

#include "sim/server/listening.hpp"
#include "sim/server/request_handler.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {
namespace {

using Clock = std::chrono::steady_clock;
using trace::Phase;

}  // namespace

PreforkServer::PreforkServer(ServerConfig config, int workers, AppFactory make_app,
                             trace::Emitter emitter)
    : config_(std::move(config)),
      worker_count_(workers),
      make_app_(std::move(make_app)),
      emit_(std::move(emitter)) {}

PreforkServer::~PreforkServer() = default;

bool PreforkServer::listen(std::string& error) {
  socket_ = ListeningSocket::listen(config_, error);
  if (!socket_) return false;
  announce_listening(*socket_, emit_,
                     "Server binds and listens on http://" + address().to_string() +
                         "/; its arbiter will fork " + std::to_string(worker_count_) +
                         " workers that accept on this socket",
                     {{"model", "prefork"}, {"workers", worker_count_}});
  return arbiter_.start(
      emit_.recorder(),
      [this](trace::Recorder* recorder, int events_fd) {
        return arbiter_loop(recorder, events_fd);
      },
      error);
}

const Endpoint& PreforkServer::address() const {
  return socket_->address();
}

void PreforkServer::serve_forever() {
  arbiter_.relay_until_exit(emit_);
}

void PreforkServer::stop() {
  arbiter_.stop();
}

bool PreforkServer::spawn(Worker& worker, trace::Recorder* arbiter_recorder,
                          int arbiter_events_fd) {
  EventsPipe pipe;
  if (!open_events_pipe(pipe)) return false;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe.read_fd);
    ::close(pipe.write_fd);
    return false;
  }
  if (pid == 0) {
    ::close(pipe.read_fd);
    ::close(arbiter_events_fd);  // the worker's events go through the arbiter
    run_worker(worker.number, arbiter_recorder, pipe.write_fd);
  }
  ::close(pipe.write_fd);
  worker.pid = pid;
  worker.events = ChildEvents(pipe.read_fd);
  return true;
}

void PreforkServer::run_worker(int number, trace::Recorder* arbiter_recorder, int events_fd) {
  int code = 0;
  try {
    const std::string lane = "worker-" + std::to_string(number);
    std::unique_ptr<trace::Recorder> recorder = recorder_after_fork(arbiter_recorder, events_fd);
    trace::Emitter worker_voice(recorder.get(), trace::Actor::Worker, lane);
    worker_voice(Phase::Fork, 0, trace::kServerInternals,
                 "Arbiter forks worker " + std::to_string(number) + ": a new process, pid " +
                     std::to_string(::getpid()) + ", with a copy of the listening socket",
                 {}, {{"pid", ::getpid()}, {"arbiter_pid", ::getppid()}});
    auto app = make_app_(trace::Emitter(recorder.get(), trace::Actor::App, "app"));
    worker_voice(
        Phase::Boot, 0, trace::kServerInternals,
        "Worker " + std::to_string(number) + " boots: it builds its own app and waits in accept()");
    wsgi::ServerTraits traits;
    traits.multiprocess = true;
    RequestHandler handler(config_, *app, traits, socket_->address(),
                           trace::Emitter(recorder.get(), trace::Actor::Server, lane), *next_req_);
    while (auto connection = socket_->accept()) {
      worker_voice(Phase::Busy, 0, trace::kServerInternals,
                   "Worker " + std::to_string(number) + " takes a connection");
      handler.handle(*connection);
      worker_voice(Phase::Idle, 0, trace::kServerInternals,
                   "Worker " + std::to_string(number) + " is free again");
    }
    finish_child_events(recorder.get(), -1);
  } catch (...) {
    code = 1;
  }
  ::close(events_fd);
  ::_exit(code);  // no atexit handlers or static destructors: they belong to the parent
}

void PreforkServer::reap(std::vector<Worker>& workers, bool stopping, trace::Recorder* recorder,
                         int events_fd) {
  int status = 0;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
    for (auto& worker : workers) {
      if (worker.pid != pid) continue;
      worker.events.relay(recorder);  // whatever it said before it went
      worker.events = ChildEvents();
      worker.pid = -1;
      const std::string lane = "worker-" + std::to_string(worker.number);
      trace::Emitter(recorder, trace::Actor::Worker, lane)(
          Phase::Exit, 0, stopping ? trace::kServerInternals : trace::kOverview,
          "Worker " + std::to_string(worker.number) + " (pid " + std::to_string(pid) + ") " +
              describe_exit(status) + (stopping ? "" : "; the arbiter forks a replacement"),
          {}, {{"pid", pid}, {"status", describe_exit(status)}});
      if (recorder) recorder->flush();  // the exit is in the trace before the replacement's fork
      if (!stopping) spawn(worker, recorder, events_fd);
    }
  }
}

int PreforkServer::arbiter_loop(trace::Recorder* recorder, int events_fd) {
  trace::Emitter(recorder, trace::Actor::Server, emit_.lane())(
      Phase::Boot, 0, trace::kServerInternals,
      "The arbiter runs in a process of its own (pid " + std::to_string(::getpid()) +
          "), on one thread, as gunicorn's: it serves no request, it forks the workers and "
          "watches them",
      {}, {{"pid", ::getpid()}});
  if (recorder) recorder->flush();
  std::vector<Worker> workers(static_cast<std::size_t>(worker_count_));
  for (int k = 0; k < worker_count_; ++k) {
    workers[static_cast<std::size_t>(k)].number = k + 1;
    spawn(workers[static_cast<std::size_t>(k)], recorder, events_fd);
  }
  bool stopping = false;
  std::optional<Clock::time_point> give_up_at;
  for (;;) {
    std::vector<pollfd> fds;
    for (const auto& worker : workers)
      if (worker.events.open()) fds.push_back({worker.events.fd(), POLLIN, 0});
    if (!stopping) fds.push_back({arbiter_.stop_fd(), POLLIN, 0});
    // A worker's death shows as its pipe closing; the timeout also catches one that closed its
    // pipe before it exited.
    if (::poll(fds.data(), fds.size(), 50) < 0 && errno != EINTR) return 1;
    for (const auto& polled : fds)
      if (polled.fd == arbiter_.stop_fd() && polled.revents && !stopping) {
        stopping = true;
        socket_->wake();  // every worker shares this wake-up: their accept() returns
      }
    for (auto& worker : workers)
      if (worker.events.open()) worker.events.relay(recorder);
    reap(workers, stopping, recorder, events_fd);
    if (recorder) recorder->flush();
    if (!stopping) continue;
    const bool alive = std::any_of(workers.begin(), workers.end(),
                                   [](const Worker& worker) { return worker.pid > 0; });
    if (!alive) return 0;
    if (!give_up_at) give_up_at = Clock::now() + std::chrono::seconds(3);
    if (Clock::now() > *give_up_at)
      for (const auto& worker : workers)
        if (worker.pid > 0) ::kill(worker.pid, SIGKILL);  // a worker stuck with a client
  }
}

}  // namespace reqtrace::server
