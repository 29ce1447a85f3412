#include "sim/server/arbiter.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <nlohmann/json.hpp>
#include <vector>

#include "sim/server/sync_worker.hpp"
#include "sim/server/worker_process.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;
using Clock = std::chrono::steady_clock;

// murder_workers sends SIGKILL at a later pass than SIGABRT: gunicorn's passes are a second
// apart (Arbiter.sleep), and so are ours here, though our loop turns faster.
constexpr std::chrono::seconds kSecondPass{1};

std::string seconds(int ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace

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
      supervisor_(recorder, std::chrono::milliseconds(config.graceful_timeout_ms)),
      app_file_(config.app_file.empty() ? AppFileWatch() : AppFileWatch(config.app_file)) {}

Arbiter::~Arbiter() = default;

trace::Emitter Arbiter::voice() const {
  return trace::Emitter(recorder_, trace::Actor::Server, lane_);
}

void Arbiter::spawn_worker() {
  std::string error;
  std::optional<WorkerTmp> tmp = WorkerTmp::create(error);
  if (!tmp) {
    voice()(Phase::Error, 0, trace::kOverview, "The arbiter cannot fork a worker: " + error);
    return;
  }
  int number = 1;
  while (std::any_of(workers_.begin(), workers_.end(),
                     [number](const auto& worker) { return worker.second.number == number; }))
    ++number;
  const int age = ++worker_age_;
  Pipe events;
  const pid_t pid = supervisor_.fork(events, number, events_fd_);
  if (pid < 0) {
    voice()(Phase::Error, 0, trace::kOverview, "The arbiter cannot fork a worker");
    return;
  }
  if (pid > 0) {
    workers_.emplace(pid, Worker{number, age, std::move(*tmp), std::nullopt, false});
    return;
  }
  // In the worker, whose events go through us. "Do not inherit the temporary files of other
  // workers" (spawn_worker).
  for (auto& [sibling_pid, sibling] : workers_) sibling.tmp.close();
  wsgi::ServerTraits traits;
  traits.multiprocess = worker_count_ > 1;  // gunicorn's http/wsgi.py: cfg.workers > 1
  // spawn_worker hands the worker timeout / 2; SyncWorker.run: "self.timeout or 0.5".
  const int wait_ms = config_.worker_timeout_ms > 0 ? config_.worker_timeout_ms / 2 : 500;
  run_worker_process(
      number, WorkerApp{make_app_, preloaded_.get()}, workers_recorder_.get(),
      std::move(events.write), &*tmp, wait_ms,
      [this, number, &traits](wsgi::Application& app, trace::Recorder* recorder,
                              const trace::Emitter& worker_voice, const ArbiterLink& link) {
        if (worker_class_.kind == WorkerClass::Kind::Sync) {
          run_sync_worker(number, config_, app, traits, socket_, next_req_, recorder, worker_voice,
                          link);
          return;
        }
        traits.multithread = true;  // gthread.py handle_request: environ["wsgi.multithread"]
        GthreadWorker(number, config_, worker_class_.gthread, app, traits, socket_, next_req_,
                      recorder, link)
            .run();
      });
}

bool Arbiter::reap_workers() {
  bool loaded = true;
  supervisor_.reap([this, &loaded](Child& child, int status) {
    const auto found = workers_.find(child.pid);
    const bool retired = found != workers_.end() && found->second.terminated;
    if (found != workers_.end()) workers_.erase(found);
    const bool stopping = supervisor_.stopping();
    const bool load_error = WIFEXITED(status) && WEXITSTATUS(status) == kAppLoadError;
    if (load_error) loaded = false;
    std::string next;
    if (load_error)
      next =
          "; it could not import the app, so the arbiter halts (reap_workers: APP_LOAD_ERROR, "
          "\"App failed to load.\")";
    else if (retired)
      next = ": the newer workers serve in its place";
    else if (!stopping)
      next = "; the arbiter forks a replacement";
    trace::Emitter(recorder_, trace::Actor::Worker, worker_lane(child.number))(
        Phase::Exit, 0, stopping ? trace::kServerInternals : trace::kOverview,
        "Worker " + std::to_string(child.number) + " (pid " + std::to_string(child.pid) + ") " +
            describe_exit(status) + next,
        {}, {{"pid", child.pid}, {"status", describe_exit(status)}});
    if (recorder_) recorder_->flush();  // the exit is in the trace before the replacement's fork
  });
  return loaded;
}

void Arbiter::murder_workers() {
  if (config_.worker_timeout_ms <= 0) return;  // "if not self.timeout: return"
  const auto timeout = std::chrono::milliseconds(config_.worker_timeout_ms);
  for (auto& [pid, worker] : workers_) {
    if (worker.tmp.silent_for() <= timeout) continue;
    const std::string who =
        "worker " + std::to_string(worker.number) + " (pid " + std::to_string(pid) + ")";
    if (!worker.aborted) {
      // gunicorn logs it at CRITICAL, in these words.
      voice()(Phase::Error, 0, trace::kOverview,
              "WORKER TIMEOUT (pid:" + std::to_string(pid) + "): " + who +
                  " has not notified the arbiter for more than the timeout (" +
                  seconds(config_.worker_timeout_ms) +
                  "), so the arbiter sends it SIGABRT (murder_workers); a request in hand is "
                  "cut off unanswered",
              {},
              {{"pid", pid},
               {"worker", worker.number},
               {"signal", "SIGABRT"},
               {"timeout_ms", config_.worker_timeout_ms}});
      worker.aborted = Clock::now();
      ::kill(pid, SIGABRT);
    } else if (Clock::now() - *worker.aborted >= kSecondPass) {
      voice()(Phase::Error, 0, trace::kOverview,
              "The arbiter sends SIGKILL to " + who + ": it is still there after SIGABRT", {},
              {{"pid", pid}, {"worker", worker.number}, {"signal", "SIGKILL"}});
      worker.aborted = Clock::now();
      ::kill(pid, SIGKILL);
    }
  }
}

void Arbiter::manage_workers() {
  for (auto missing = worker_count_ - static_cast<int>(workers_.size()); missing > 0; --missing)
    spawn_worker();
  std::vector<std::pair<int, pid_t>> by_age;
  for (const auto& [pid, worker] : workers_) by_age.emplace_back(worker.age, pid);
  std::sort(by_age.begin(), by_age.end());
  for (std::size_t i = 0; i + worker_count_ < by_age.size(); ++i) {
    Worker& worker = workers_.at(by_age[i].second);
    if (worker.terminated) continue;
    worker.terminated = true;
    voice()(Phase::Idle, 0, trace::kOverview,
            "The arbiter sends SIGTERM to worker " + std::to_string(worker.number) + " (pid " +
                std::to_string(by_age[i].second) +
                "), one of the oldest beyond the count (manage_workers): it finishes the "
                "request in hand, if any, and exits",
            {}, {{"pid", by_age[i].second}, {"worker", worker.number}, {"signal", "SIGTERM"}});
    ::kill(by_age[i].second, SIGTERM);
  }
}

void Arbiter::reload() {
  const std::string file = app_file_.file().filename().string();
  voice()(Phase::Boot, 0, trace::kOverview,
          "The app's file " + file +
              " changed: the arbiter reloads as on SIGHUP (Arbiter.reload): it forks " +
              std::to_string(worker_count_) + " new worker" + (worker_count_ > 1 ? "s" : "") +
              (preloaded_ ? ", which serve the app it preloaded: with --preload the old code "
                            "stays (app.wsgi() keeps the callable it loaded once)"
                          : ", which import the new code") +
              ", then tells the old ones to finish and go",
          {}, {{"file", config_.app_file}, {"preload", preloaded_ != nullptr}});
  if (recorder_) recorder_->flush();
  forget_bytecode(app_file_.file());  // the new workers compile the new source
  for (int i = 0; i < worker_count_; ++i) spawn_worker();
  manage_workers();
}

void Arbiter::halt() {
  supervisor_.stop();
  socket_.wake();  // every worker shares this wake-up: their accept() returns
}

int Arbiter::run(int stop_fd) {
  voice()(Phase::Boot, 0, trace::kServerInternals,
          "The arbiter (pid " + std::to_string(::getpid()) +
              ") runs on one thread, as gunicorn's master process: it serves no request and "
              "accepts no connection; it forks the workers, which inherit its socket, and "
              "watches them",
          {}, {{"pid", ::getpid()}});
  if (recorder_)
    workers_recorder_ =
        std::make_unique<trace::Recorder>(trace::Recorder::ContinuingAfterFork{}, *recorder_);
  if (config_.preload_app) {
    // Arbiter.setup: "if self.cfg.preload_app: self.app.wsgi()", before any fork.
    trace::Emitter(recorder_, trace::Actor::App, lane_)(
        Phase::Boot, 0, trace::kServerInternals,
        "The arbiter imports the app before it forks any worker (--preload): every worker "
        "gets a copy of this one, made once",
        {}, {{"pid", ::getpid()}, {"preload", true}});
    preloaded_ = make_app_(trace::Emitter(workers_recorder_.get(), trace::Actor::App, "app"));
    if (workers_recorder_) workers_recorder_->hand_over_to(*recorder_);
  }
  if (recorder_) recorder_->flush();
  manage_workers();
  for (;;) {
    std::vector<pollfd> stop;
    if (!supervisor_.stopping()) stop.push_back({stop_fd, POLLIN, 0});
    // A worker's death shows as its pipe closing; the timeout also paces the timeout checks and
    // catches one that closed its pipe before it exited.
    if (supervisor_.wait(stop, static_cast<int>(kArbiterSleep.count())) < 0) return 1;
    if (!stop.empty() && stop.front().revents) halt();
    supervisor_.relay();
    if (!reap_workers() && !supervisor_.stopping()) {
      exit_status_ = kAppLoadError;
      voice()(Phase::Error, 0, trace::kOverview,
              "App failed to load: the arbiter stops every worker and exits (HaltServer)");
      halt();
    }
    if (!supervisor_.stopping()) {
      murder_workers();
      if (app_file_.changed()) reload();
      manage_workers();
    }
    if (recorder_) recorder_->flush();
    if (!supervisor_.stopping()) continue;
    if (supervisor_.children().empty()) return exit_status_;
    supervisor_.kill_stragglers();  // a worker stuck with a client past graceful_timeout
  }
}

}  // namespace reqtrace::server
