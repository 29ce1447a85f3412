#include "sim/topology/stack.hpp"

#include "sim/cgi/cgi_server.hpp"
#include "sim/proxy/proxy_server.hpp"
#include "sim/server/dev_server.hpp"
#include "sim/server/forking_server.hpp"
#include "sim/server/prefork_server.hpp"
#include "sim/server/threaded_wsgi_server.hpp"
#include "sim/topology/cgi_program.hpp"
#include "sim/topology/reloading_app.hpp"
#include "sim/topology/scenario_app.hpp"

namespace reqtrace::topology {
namespace {

// The app of a model that serves in this very process: a Python app re-imports itself when its
// file changes; the C++ app has no file to change.
std::unique_ptr<wsgi::Application> single_process_app(const server::AppFactory& make_app,
                                                      const std::string& file,
                                                      const trace::Emitter& app_voice,
                                                      const trace::Emitter& server_voice) {
  if (file.empty()) return make_app(app_voice);
  return std::make_unique<ReloadingApp>(make_app, file, app_voice, server_voice);
}

}  // namespace

std::unique_ptr<Stack> Stack::start(const scenario::Scenario& scenario, trace::Recorder* recorder,
                                    const Listen& listen, std::string& error) {
  const scenario::Server& model = scenario.topology.server;
  std::unique_ptr<Stack> stack(new Stack());
  const std::optional<server::AppFactory> make_app = app_factory(scenario, error);
  if (!make_app) return nullptr;

  server::ServerConfig config = server_config(scenario.topology, listen);
  config.app_file = app_source(scenario).string();
  const trace::Emitter server_voice(recorder, trace::Actor::Server, "server");
  const trace::Emitter app_voice(recorder, trace::Actor::App, "app");
  // Building the app may fail (a real Python app that does not import): that is an error of
  // the run, named, not a crash.
  try {
    switch (model.model) {
      case scenario::ServerModel::Prefork:
        // Each worker process builds its own app after the fork, or the arbiter builds it once
        // before forking (preload); a Python app is checked first.
        if (!app_imports(scenario, error)) return nullptr;
        stack->server_ = std::make_unique<server::PreforkServer>(
            config, workers(model), server::WorkerClass{}, *make_app, server_voice);
        break;
      case scenario::ServerModel::ForkPerRequest:
        // The app is built once, before any fork; `workers` (Werkzeug's processes) caps the
        // children alive at once.
        stack->server_ = std::make_unique<server::ForkingServer>(config, workers(model), *make_app,
                                                                 server_voice);
        break;
      case scenario::ServerModel::Cgi: {
        // No app in this process: each request's program builds its own and is gone after it.
        auto program = reqtrace_cgi_program(scenario, listen.cgi_program, error);
        if (!program) return nullptr;
        stack->server_ = std::make_unique<server::CgiServer>(config, workers(model),
                                                             std::move(*program), server_voice);
        break;
      }
      case scenario::ServerModel::Threaded: {
        // gunicorn -k gthread --workers 1 --threads N: the arbiter forks one worker process,
        // which builds the app; its main thread accepts and its pool of `workers` threads serves.
        if (!app_imports(scenario, error)) return nullptr;
        server::WorkerClass gthread{server::WorkerClass::Kind::Gthread, {}};
        gthread.gthread.threads = workers(model);
        stack->server_ =
            std::make_unique<server::PreforkServer>(config, 1, gthread, *make_app, server_voice);
        break;
      }
      case scenario::ServerModel::DevThreaded:
        // One app, shared by a new thread per connection.
        stack->app_ = single_process_app(*make_app, config.app_file, app_voice, server_voice);
        stack->server_ =
            std::make_unique<server::ThreadedWsgiServer>(config, *stack->app_, server_voice);
        break;
      default:
        stack->app_ = single_process_app(*make_app, config.app_file, app_voice, server_voice);
        stack->server_ = std::make_unique<server::DevServer>(config, *stack->app_, server_voice);
    }
  } catch (const std::exception& failure) {
    error = failure.what();
    return nullptr;
  }
  if (!stack->server_->listen(error)) return nullptr;
  if (listen.uwsgi_port >= 0 && !stack->server_->uwsgi_address()) {
    error = "server model \"" + std::string(scenario::name_of(model.model)) +
            "\" does not speak uwsgi in this build";
    return nullptr;
  }
  stack->serving_ = std::thread([server = stack->server_.get()] { server->serve_forever(); });
  if (scenario.topology.proxy &&
      !stack->start_proxy(*scenario.topology.proxy, listen, recorder, error))
    return nullptr;
  return stack;
}

bool Stack::start_proxy(const scenario::Proxy& proxy, const Listen& listen,
                        trace::Recorder* recorder, std::string& error) {
  const bool uwsgi = proxy.upstream == scenario::UpstreamProtocol::Uwsgi;
  const std::optional<server::Endpoint> upstream =
      uwsgi ? server_->uwsgi_address() : std::optional(server_->address());
  if (!upstream) {
    error = "the proxy's upstream is uwsgi, but this server model does not speak it";
    return false;
  }
  std::optional<proxy::ProxyConfig> config = proxy_config(proxy, listen, *upstream, error);
  if (!config) return false;
  proxy_ = std::make_unique<proxy::ProxyServer>(
      *config, trace::Emitter(recorder, trace::Actor::Proxy, "proxy"));
  if (!proxy_->listen(error)) return false;
  proxying_ = std::thread([server = proxy_.get()] { server->serve_forever(); });
  return true;
}

Stack::~Stack() {
  stop();
}

const server::Endpoint& Stack::front_door() const {
  return proxy_ ? proxy_->address() : server_->address();
}

std::optional<server::Endpoint> Stack::uwsgi_door() const {
  return server_->uwsgi_address();
}

void Stack::stop() {
  // The proxy first: a request it is still passing on finishes while the server is up.
  if (proxy_) proxy_->stop();
  if (proxying_.joinable()) proxying_.join();
  if (server_) server_->stop();
  if (serving_.joinable()) serving_.join();
}

}  // namespace reqtrace::topology
