// How a server that forks gets its app: it builds one where the app's events should go.
#pragma once

#include <functional>
#include <memory>

#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

// The pre-fork model calls it in each worker after the fork, so what one
// worker's app does to its memory no other worker sees; fork-per-request calls
// it once, before any fork, as Werkzeug's ForkingMixIn serves the app object
// that already exists.
using AppFactory = std::function<std::unique_ptr<wsgi::Application>(trace::Emitter app_voice)>;

}  // namespace reqtrace::server
