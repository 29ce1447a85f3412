#include "sim/server/worker_process.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sim/server/child_events.hpp"

namespace reqtrace::server {

std::string worker_lane(int number) {
  return "worker-" + std::to_string(number);
}

void run_worker_process(int number, const AppFactory& make_app, trace::Recorder* arbiter_recorder,
                        FileDescriptor events, const WorkerServe& serve) {
  int code = 0;
  try {
    std::unique_ptr<trace::Recorder> recorder = recorder_after_fork(arbiter_recorder, events.get());
    const trace::Emitter worker_voice(recorder.get(), trace::Actor::Worker, worker_lane(number));
    worker_voice(trace::Phase::Fork, 0, trace::kServerInternals,
                 "Arbiter forks worker " + std::to_string(number) + ": a new process, pid " +
                     std::to_string(::getpid()) + ", with a copy of the listening socket",
                 {}, {{"pid", ::getpid()}, {"arbiter_pid", ::getppid()}});
    auto app = make_app(trace::Emitter(recorder.get(), trace::Actor::App, "app"));
    serve(*app, recorder.get(), worker_voice);
    finish_child_events(recorder.get());
  } catch (...) {
    code = 1;
  }
  events.reset();
  ::_exit(code);  // no atexit handlers or static destructors: they belong to the parent
}

}  // namespace reqtrace::server
