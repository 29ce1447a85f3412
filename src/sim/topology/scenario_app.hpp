// The app a scenario serves: the C++ Flask app built from its routes, or a real Python WSGI app.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "scenario/scenario.hpp"
#include "sim/server/app_factory.hpp"

namespace reqtrace::topology {

// What builds the scenario's app wherever its server model builds one (once, or in each worker
// after the fork). For a real Python app, the file is found first (relative to the scenario's
// folder); nullopt with `error` saying what is missing. A factory that fails to import the app
// throws std::runtime_error with the file, the line and Python's message.
std::optional<server::AppFactory> app_factory(const scenario::Scenario& scenario,
                                              std::string& error);

// The Python app's source file, whose change reloads it; empty for the C++ app (or a "wsgi" that
// does not parse, which app_factory reports).
std::filesystem::path app_source(const scenario::Scenario& scenario);

// The same check a pre-fork worker's import will make, done now in a child process, so a
// broken app is reported before any worker starts and without importing it in this process
// (gunicorn imports in each worker after the fork). True for the C++ app.
bool app_imports(const scenario::Scenario& scenario, std::string& error);

}  // namespace reqtrace::topology
