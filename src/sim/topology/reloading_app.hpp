// The app of a single-process model (dev, dev-threaded) when it comes from a Python file: when the
// file changes, the next request re-imports it and is served by the new code.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "sim/server/app_factory.hpp"
#include "sim/server/app_file_watch.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::topology {

// Werkzeug's reloader (run_simple(use_reloader=True)) restarts the whole process; ours re-imports
// the module in the same interpreter instead (see docs/design.md), at the first request after the
// change. A request in flight keeps the app it started with until it is done.
class ReloadingApp : public wsgi::Application {
 public:
  // Builds the first app with `make_app` now (it may throw, as the factory does); `file` is the
  // module's source; the reload is told on `server_voice`'s lane.
  ReloadingApp(server::AppFactory make_app, const std::filesystem::path& file,
               trace::Emitter app_voice, trace::Emitter server_voice);

  std::unique_ptr<wsgi::ResponseIterable> operator()(wsgi::Environ& environ,
                                                     wsgi::StartResponse& start_response) override;

 private:
  // The app to serve this request with: re-imported first when the file changed.
  std::shared_ptr<wsgi::Application> current();

  server::AppFactory make_app_;
  trace::Emitter app_voice_;
  trace::Emitter server_voice_;
  std::mutex mutex_;  // dev-threaded: one thread re-imports, the others wait for it
  server::AppFileWatch watch_;
  std::shared_ptr<wsgi::Application> app_;
};

}  // namespace reqtrace::topology
