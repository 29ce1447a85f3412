#include "sim/topology/scenario_app.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "sim/python/python_app.hpp"
#include "sim/server/file_descriptor.hpp"
#include "sim/topology/scenario_views.hpp"

namespace reqtrace::topology {

namespace {

std::optional<python::WsgiTarget> wsgi_target(const scenario::Scenario& scenario,
                                              std::string& error) {
  std::string problem;
  auto target = python::parse_wsgi_target(scenario.wsgi, scenario.folder, problem);
  if (!target) error = "the scenario's app (\"wsgi\"): " + problem;
  return target;
}

}  // namespace

std::optional<server::AppFactory> app_factory(const scenario::Scenario& scenario,
                                              std::string& error) {
  if (scenario.wsgi.empty()) {
    return [routes = scenario.routes,
            middleware = scenario.topology.middleware](trace::Emitter app_voice) {
      return std::unique_ptr<wsgi::Application>(
          build_app(routes, middleware, std::move(app_voice)));
    };
  }
  auto target = wsgi_target(scenario, error);
  if (!target) return std::nullopt;
  return [target = *target](trace::Emitter app_voice) -> std::unique_ptr<wsgi::Application> {
    std::string problem;
    auto app = python::PythonApp::load(target, std::move(app_voice), problem);
    if (!app) throw std::runtime_error(problem);
    return app;
  };
}

std::filesystem::path app_source(const scenario::Scenario& scenario) {
  if (scenario.wsgi.empty()) return {};
  std::string problem;
  auto target = python::parse_wsgi_target(scenario.wsgi, scenario.folder, problem);
  return target ? target->file : std::filesystem::path();
}

bool app_imports(const scenario::Scenario& scenario, std::string& error) {
  if (scenario.wsgi.empty()) return true;
  auto target = wsgi_target(scenario, error);
  if (!target) return false;
  server::Pipe pipe;
  const pid_t child = pipe.open() ? ::fork() : -1;
  if (child < 0) {
    error = "cannot fork to check the app";
    return false;
  }
  if (child == 0) {
    pipe.read.reset();
    std::string problem;
    const bool loaded = python::PythonApp::load(*target, trace::Emitter(), problem) != nullptr;
    // A short write leaves a shorter message; the exit status still says the import failed.
    if (!loaded && ::write(pipe.write.get(), problem.data(), problem.size()) < 0) problem.clear();
    ::_exit(loaded ? 0 : 1);
  }
  pipe.write.reset();
  std::string problem;
  char buffer[4096];
  for (ssize_t got; (got = ::read(pipe.read.get(), buffer, sizeof buffer)) > 0;)
    problem.append(buffer, static_cast<std::size_t>(got));
  int status = 0;
  ::waitpid(child, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  error = problem.empty() ? "importing the app killed the process that tried" : problem;
  return false;
}

}  // namespace reqtrace::topology
