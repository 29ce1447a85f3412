// A pre-fork worker process, as gunicorn's workers/sync.py: its own app, one connection at a time
// from the listening socket it shares with its siblings, until the arbiter wakes them all.
#pragma once

#include <atomic>

#include "sim/server/app_factory.hpp"
#include "sim/server/file_descriptor.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// In the process the arbiter just forked: records on the arbiter's clock down `events`, builds
// the app, serves, and exits. Never returns.
[[noreturn]] void run_sync_worker(int number, const ServerConfig& config,
                                  const AppFactory& make_app, ListeningSocket& socket,
                                  std::atomic<int>& next_req, trace::Recorder* arbiter_recorder,
                                  FileDescriptor events);

}  // namespace reqtrace::server
