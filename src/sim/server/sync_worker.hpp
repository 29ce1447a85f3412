// gunicorn's sync worker (workers/sync.py SyncWorker.run_for_one): one connection at a time, each
// accepted by the worker itself on the listening socket it shares with its siblings, until the
// arbiter wakes them all.
#pragma once

#include <atomic>

#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/wsgi/application.hpp"
#include "sim/wsgi/environ_builder.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// Serves on the calling thread, the worker process's only one, until the socket is woken.
void run_sync_worker(int number, const ServerConfig& config, wsgi::Application& app,
                     const wsgi::ServerTraits& traits, ListeningSocket& socket,
                     std::atomic<int>& next_req, trace::Recorder* recorder,
                     const trace::Emitter& worker_voice);

}  // namespace reqtrace::server
