#include "sim/server/arbiter.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sim/server/sync_worker.hpp"
#include "sim/server/worker_process.hpp"

namespace reqtrace::server {

using trace::Phase;

Arbiter::Arbiter(const ServerConfig& config, int workers, WorkerClass worker_class,
                 const AppFactory& make_app, ListeningSocket& socket, std::atomic<int>& next_req,
                 trace::Recorder* recorder, int events_fd, std::string lane)
    : config_(config),
      worker_count_(workers),
      worker_class_(worker_class),
      make_app_(make_app),
      socket_(socket),
      next_req_(next_req),
      recorder_(recorder),
      events_fd_(events_fd),
      lane_(std::move(lane)),
      workers_(recorder, std::chrono::milliseconds(config.graceful_timeout_ms)) {}

void Arbiter::spawn_worker(int number) {
  Pipe events;
  if (workers_.fork(events, number, events_fd_) != 0) return;
  // In the worker, whose events go through us.
  wsgi::ServerTraits traits;
  traits.multiprocess = worker_count_ > 1;  // gunicorn's http/wsgi.py: cfg.workers > 1
  run_worker_process(
      number, make_app_, recorder_, std::move(events.write),
      [this, number, &traits](wsgi::Application& app, trace::Recorder* recorder,
                              const trace::Emitter& worker_voice) {
        if (worker_class_.kind == WorkerClass::Kind::Sync) {
          run_sync_worker(number, config_, app, traits, socket_, next_req_, recorder, worker_voice);
          return;
        }
        traits.multithread = true;  // gthread.py handle_request: environ["wsgi.multithread"]
        GthreadWorker(number, config_, worker_class_.gthread, app, traits, socket_, next_req_,
                      recorder)
            .run();
      });
}

void Arbiter::reap_workers() {
  workers_.reap([this](Child& worker, int status) {
    const bool stopping = workers_.stopping();
    const std::string lane = "worker-" + std::to_string(worker.number);
    trace::Emitter(recorder_, trace::Actor::Worker, lane)(
        Phase::Exit, 0, stopping ? trace::kServerInternals : trace::kOverview,
        "Worker " + std::to_string(worker.number) + " (pid " + std::to_string(worker.pid) + ") " +
            describe_exit(status) + (stopping ? "" : "; the arbiter forks a replacement"),
        {}, {{"pid", worker.pid}, {"status", describe_exit(status)}});
    if (recorder_) recorder_->flush();  // the exit is in the trace before the replacement's fork
    if (!stopping) spawn_worker(worker.number);
  });
}

int Arbiter::run(int stop_fd) {
  trace::Emitter(recorder_, trace::Actor::Server, lane_)(
      Phase::Boot, 0, trace::kServerInternals,
      "The arbiter (pid " + std::to_string(::getpid()) +
          ") runs on one thread, as gunicorn's master process: it serves no request and accepts "
          "no connection; it forks the workers, which inherit its socket, and watches them",
      {}, {{"pid", ::getpid()}});
  if (recorder_) recorder_->flush();
  for (int number = 1; number <= worker_count_; ++number) spawn_worker(number);
  for (;;) {
    std::vector<pollfd> stop;
    if (!workers_.stopping()) stop.push_back({stop_fd, POLLIN, 0});
    // A worker's death shows as its pipe closing; the timeout also catches one that closed its
    // pipe before it exited.
    if (workers_.wait(stop, static_cast<int>(kArbiterSleep.count())) < 0) return 1;
    if (!stop.empty() && stop.front().revents) {
      workers_.stop();
      socket_.wake();  // every worker shares this wake-up: their accept() returns
    }
    workers_.relay();
    reap_workers();
    if (recorder_) recorder_->flush();
    if (!workers_.stopping()) continue;
    if (workers_.children().empty()) return 0;
    workers_.kill_stragglers();  // a worker stuck with a client past graceful_timeout
  }
}

}  // namespace reqtrace::server
