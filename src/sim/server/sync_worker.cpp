#include "sim/server/sync_worker.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sim/server/child_events.hpp"
#include "sim/server/request_handler.hpp"

namespace reqtrace::server {

void run_sync_worker(int number, const ServerConfig& config, const AppFactory& make_app,
                     ListeningSocket& socket, std::atomic<int>& next_req,
                     trace::Recorder* arbiter_recorder, FileDescriptor events) {
  using trace::Phase;
  int code = 0;
  try {
    const std::string lane = "worker-" + std::to_string(number);
    std::unique_ptr<trace::Recorder> recorder = recorder_after_fork(arbiter_recorder, events.get());
    trace::Emitter worker_voice(recorder.get(), trace::Actor::Worker, lane);
    worker_voice(Phase::Fork, 0, trace::kServerInternals,
                 "Arbiter forks worker " + std::to_string(number) + ": a new process, pid " +
                     std::to_string(::getpid()) + ", with a copy of the listening socket",
                 {}, {{"pid", ::getpid()}, {"arbiter_pid", ::getppid()}});
    auto app = make_app(trace::Emitter(recorder.get(), trace::Actor::App, "app"));
    worker_voice(
        Phase::Boot, 0, trace::kServerInternals,
        "Worker " + std::to_string(number) + " boots: it builds its own app and waits in accept()");
    wsgi::ServerTraits traits;
    traits.multiprocess = true;
    RequestHandler handler(config, *app, traits, socket.address(),
                           trace::Emitter(recorder.get(), trace::Actor::Server, lane), next_req);
    while (auto connection = socket.accept()) {
      worker_voice(Phase::Busy, 0, trace::kServerInternals,
                   "Worker " + std::to_string(number) + " takes a connection");
      handler.handle(*connection);
      worker_voice(Phase::Idle, 0, trace::kServerInternals,
                   "Worker " + std::to_string(number) + " is free again");
    }
    finish_child_events(recorder.get());
  } catch (...) {
    code = 1;
  }
  events.reset();
  ::_exit(code);  // no atexit handlers or static destructors: they belong to the parent
}

}  // namespace reqtrace::server
