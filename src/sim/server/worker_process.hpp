// A worker process the arbiter has just forked (gunicorn's Arbiter.spawn_worker, then
// Worker.init_process): it records on the arbiter's clock, builds its own app, serves with its
// worker class until the arbiter wakes the socket, and exits.
#pragma once

#include <functional>
#include <string>

#include "sim/server/app_factory.hpp"
#include "sim/server/file_descriptor.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// The timeline lane of worker `number`'s main thread: "worker-1".
std::string worker_lane(int number);

// What the worker class does once the app is built (sync: accept and serve; gthread: poll and
// hand to a pool), with the process's `recorder` and its voice as worker `number`.
using WorkerServe = std::function<void(wsgi::Application& app, trace::Recorder* recorder,
                                       const trace::Emitter& worker_voice)>;

// In the process the arbiter just forked: records down `events`, says so, builds the app, calls
// `serve` and exits. Never returns.
[[noreturn]] void run_worker_process(int number, const AppFactory& make_app,
                                     trace::Recorder* arbiter_recorder, FileDescriptor events,
                                     const WorkerServe& serve);

}  // namespace reqtrace::server
