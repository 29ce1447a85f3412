// gunicorn's sync worker (workers/sync.py SyncWorker.run_for_one): one connection at a time, each
// accepted by the worker itself on the listening socket it shares with its siblings, until the
// arbiter wakes them all or SIGTERM tells this one to go.
#pragma once

#include <atomic>

#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/worker_process.hpp"
#include "sim/wsgi/application.hpp"
#include "sim/wsgi/environ_builder.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// Serves on the calling thread, the worker process's only one. Each turn of its loop notifies
// the arbiter (`link`) and waits for a connection at most link.wait_ms, as run_for_one's
// notify() and wait(timeout); a view that never returns stops the notifying.
void run_sync_worker(int number, const ServerConfig& config, wsgi::Application& app,
                     const wsgi::ServerTraits& traits, ListeningSocket& socket,
                     std::atomic<int>& next_req, trace::Recorder* recorder,
                     const trace::Emitter& worker_voice, const ArbiterLink& link);

}  // namespace reqtrace::server
