#include "sim/server/prefork_server.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>

#include "sim/server/listening.hpp"
#include "sim/server/request_handler.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;

// Request numbers are counted across every worker, so they live in memory the forks share.
std::atomic<int>* shared_request_counter() {
  void* page = ::mmap(nullptr, sizeof(std::atomic<int>), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) throw std::runtime_error("mmap: " + std::string(std::strerror(errno)));
  return new (page) std::atomic<int>(0);
}

}  // namespace

PreforkServer::PreforkServer(ServerConfig config, int workers, AppFactory make_app,
                             trace::Emitter emitter)
    : config_(std::move(config)),
      worker_count_(workers),
      make_app_(std::move(make_app)),
      emit_(std::move(emitter)) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  next_req_ = shared_request_counter();
}

PreforkServer::~PreforkServer() {
  stop();
  ::close(wake_fd_);
  ::munmap(next_req_, sizeof *next_req_);
}

bool PreforkServer::listen(std::string& error) {
  socket_ = ListeningSocket::listen(config_, error);
  if (!socket_) return false;
  announce_listening(*socket_, emit_,
                     "Arbiter (pid " + std::to_string(::getpid()) +
                         ") binds and listens on http://" + address().to_string() +
                         "/ and will fork " + std::to_string(worker_count_) + " workers",
                     {{"model", "prefork"}, {"workers", worker_count_}});
  return true;
}

const Endpoint& PreforkServer::address() const {
  return socket_->address();
}

std::vector<pid_t> PreforkServer::worker_pids() const {
  std::lock_guard lock(workers_mutex_);
  std::vector<pid_t> pids;
  for (const auto& worker : workers_)
    if (worker.pid > 0) pids.push_back(worker.pid);
  return pids;
}

bool PreforkServer::spawn(Worker& worker) {
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
    run_worker(worker.number, pipe.write_fd);
  }
  ::close(pipe.write_fd);
  worker.pid = pid;
  worker.events = ChildEvents(pipe.read_fd);
  return true;
}

void PreforkServer::run_worker(int number, int events_fd) {
  int code = 0;
  try {
    const std::string lane = "worker-" + std::to_string(number);
    std::unique_ptr<trace::Recorder> recorder = recorder_after_fork(emit_.recorder(), events_fd);
    trace::Emitter worker_voice(recorder.get(), trace::Actor::Worker, lane);
    worker_voice(Phase::Fork, 0, trace::kServerInternals,
                 "Arbiter forks worker " + std::to_string(number) + ": a new process, pid " +
                     std::to_string(::getpid()) + ", with a copy of the listening socket",
                 {}, {{"pid", ::getpid()}, {"arbiter_pid", ::getppid()}});
    auto app = make_app_(trace::Emitter(recorder.get(), trace::Actor::App, "app"));
    worker_voice(Phase::Boot, 0, trace::kServerInternals,
                 "Worker " + std::to_string(number) +
                     " boots: it builds its own app and waits in "
                     "accept()");
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

void PreforkServer::relay_events(Worker& worker) {
  worker.events.relay(emit_.recorder());
}

void PreforkServer::reap(bool stopping) {
  int status = 0;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
    std::lock_guard lock(workers_mutex_);
    for (auto& worker : workers_) {
      if (worker.pid != pid) continue;
      relay_events(worker);  // whatever it said before it went
      worker.events = ChildEvents();
      worker.pid = -1;
      const std::string lane = "worker-" + std::to_string(worker.number);
      trace::Emitter(emit_.recorder(), trace::Actor::Worker, lane)(
          Phase::Exit, 0, stopping ? trace::kServerInternals : trace::kOverview,
          "Worker " + std::to_string(worker.number) + " (pid " + std::to_string(pid) + ") " +
              describe_exit(status) + (stopping ? "" : "; the arbiter forks a replacement"),
          {}, {{"pid", pid}, {"status", describe_exit(status)}});
      if (!stopping) spawn(worker);
    }
  }
}

void PreforkServer::serve_forever() {
  {
    std::lock_guard lock(workers_mutex_);
    workers_.resize(static_cast<std::size_t>(worker_count_));
    for (int k = 0; k < worker_count_; ++k) {
      workers_[static_cast<std::size_t>(k)].number = k + 1;
      spawn(workers_[static_cast<std::size_t>(k)]);
    }
  }
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> give_up_at;
  for (;;) {
    std::vector<pollfd> fds;
    {
      std::lock_guard lock(workers_mutex_);
      for (const auto& worker : workers_)
        if (worker.events.open()) fds.push_back({worker.events.fd(), POLLIN, 0});
    }
    fds.push_back({wake_fd_, POLLIN, 0});
    ::poll(fds.data(), fds.size(), 50);
    {
      std::lock_guard lock(workers_mutex_);
      for (auto& worker : workers_)
        if (worker.events.open()) relay_events(worker);
    }
    const bool stopping = stopping_.load();
    reap(stopping);
    if (!stopping) continue;
    if (!give_up_at) give_up_at = Clock::now() + std::chrono::seconds(3);
    const auto alive = worker_pids();
    if (alive.empty()) break;
    if (Clock::now() > *give_up_at)
      for (pid_t pid : alive) ::kill(pid, SIGKILL);  // a worker stuck with a client
  }
}

void PreforkServer::stop() {
  if (stopping_.exchange(true)) return;
  if (socket_) socket_->wake();  // every worker shares this wake-up: their accept() returns
  std::uint64_t one = 1;
  [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);
}

}  // namespace reqtrace::server
