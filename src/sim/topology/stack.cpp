#include "sim/topology/stack.hpp"

#include "sim/app/scenario_views.hpp"
#include "sim/cgi/cgi_server.hpp"
#include "sim/proxy/proxy_server.hpp"
#include "sim/server/dev_server.hpp"
#include "sim/server/forking_server.hpp"
#include "sim/server/prefork_server.hpp"
#include "sim/server/threaded_server.hpp"
#include "sim/topology/cgi_program.hpp"

namespace reqtrace::topology {

std::unique_ptr<Stack> Stack::start(const scenario::Scenario& scenario, trace::Recorder* recorder,
                                    const Listen& listen, std::string& error) {
  const scenario::Server& model = scenario.topology.server;
  std::unique_ptr<Stack> stack(new Stack());
  auto make_app = [routes = scenario.routes,
                   middleware = scenario.topology.middleware](trace::Emitter app_voice) {
    return std::unique_ptr<wsgi::Application>(flask::build_app(routes, middleware, app_voice));
  };

  server::ServerConfig config;
  config.host = listen.host;
  config.port = listen.port;
  config.uwsgi_port = listen.uwsgi_port;
  const std::optional<scenario::Proxy>& proxy = scenario.topology.proxy;
  if (proxy) {
    // The proxy takes the front door; the server hides behind it on loopback.
    config.host = "127.0.0.1";
    config.port = 0;
    if (proxy->upstream == scenario::UpstreamProtocol::Uwsgi) config.uwsgi_port = 0;
  }
  config.limits.body = model.max_body_bytes;
  config.read_timeout_ms = model.read_timeout_ms;
  config.header_timeout_ms = model.header_timeout_ms;
  config.keep_alive = model.keep_alive;
  const trace::Emitter server_voice(recorder, trace::Actor::Server, "server");
  const trace::Emitter app_voice(recorder, trace::Actor::App, "app");
  switch (model.model) {
    case scenario::ServerModel::Prefork:
      // Each worker process builds its own app after the fork.
      stack->server_ =
          std::make_unique<server::PreforkServer>(config, model.workers, make_app, server_voice);
      break;
    case scenario::ServerModel::ForkPerRequest: {
      // At most `workers` children at once when the scenario says so (Werkzeug's processes=N),
      // else socketserver's max_children, 40. The app is built once, before any fork.
      const bool gives_workers =
          scenario.source.contains(nlohmann::json::json_pointer("/topology/server/workers"));
      stack->server_ = std::make_unique<server::ForkingServer>(
          config, gives_workers ? model.workers : 40, make_app, server_voice);
      break;
    }
    case scenario::ServerModel::Cgi: {
      // No app in this process: each request's program builds its own and is gone after it.
      auto program = reqtrace_cgi_program(scenario, listen.cgi_program, error);
      if (!program) return nullptr;
      stack->server_ = std::make_unique<server::CgiServer>(config, model.workers,
                                                           std::move(*program), server_voice);
      break;
    }
    case scenario::ServerModel::Threaded:
      stack->app_ = make_app(app_voice);
      stack->server_ = std::make_unique<server::ThreadedServer>(config, model.workers, *stack->app_,
                                                                server_voice);
      break;
    default:
      stack->app_ = make_app(app_voice);
      stack->server_ = std::make_unique<server::DevServer>(config, *stack->app_, server_voice);
  }
  if (!stack->server_->listen(error)) return nullptr;
  if (listen.uwsgi_port >= 0 && !stack->server_->uwsgi_address()) {
    error = "server model \"" + std::string(scenario::name_of(model.model)) +
            "\" does not speak uwsgi in this build";
    return nullptr;
  }
  stack->serving_ = std::thread([server = stack->server_.get()] { server->serve_forever(); });
  if (proxy && !stack->start_proxy(*proxy, listen, recorder, error)) return nullptr;
  return stack;
}

bool Stack::start_proxy(const scenario::Proxy& proxy, const Listen& listen,
                        trace::Recorder* recorder, std::string& error) {
  proxy::ProxyConfig config;
  config.host = listen.host;
  config.port = listen.port;
  if (!proxy.static_root.empty()) {
    config.static_root = proxy.static_root;
    if (config.static_root.is_relative()) {
      if (listen.assets.empty()) {
        error = "the proxy's static_root \"" + proxy.static_root +
                "\" names a folder under assets/, but no assets folder was found";
        return false;
      }
      config.static_root = listen.assets / config.static_root;
    }
  }
  config.static_prefix = proxy.static_prefix;
  if (proxy.upstream == scenario::UpstreamProtocol::Uwsgi) {
    const auto uwsgi = server_->uwsgi_address();
    if (!uwsgi) {
      error = "the proxy's upstream is uwsgi, but this server model does not speak it";
      return false;
    }
    config.upstream = *uwsgi;
    config.protocol = proxy::UpstreamProtocol::Uwsgi;
  } else {
    config.upstream = server_->address();
  }
  config.upstream_timeout_ms = proxy.upstream_timeout_ms;
  config.connect_timeout_ms = proxy.connect_timeout_ms;
  proxy_ = std::make_unique<proxy::ProxyServer>(
      config, trace::Emitter(recorder, trace::Actor::Proxy, "proxy"));
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
