#include "sim/topology/stack.hpp"

#include "sim/app/scenario_views.hpp"
#include "sim/server/dev_server.hpp"
#include "sim/server/prefork_server.hpp"
#include "sim/server/threaded_server.hpp"

namespace reqtrace::topology {

std::unique_ptr<Stack> Stack::start(const scenario::Scenario& scenario, trace::Recorder* recorder,
                                    const Listen& listen, std::string& error) {
  const scenario::Server& model = scenario.topology.server;
  if (model.model == scenario::ServerModel::ForkPerRequest ||
      model.model == scenario::ServerModel::Cgi) {
    error = "server model \"" + std::string(scenario::name_of(model.model)) +
            "\" is not available in this build; expected \"dev\", \"threaded\" or \"prefork\"";
    return nullptr;
  }
  std::unique_ptr<Stack> stack(new Stack());
  auto make_app = [routes = scenario.routes,
                   middleware = scenario.topology.middleware](trace::Emitter app_voice) {
    return std::unique_ptr<wsgi::Application>(flask::build_app(routes, middleware, app_voice));
  };

  server::ServerConfig config;
  config.host = listen.host;
  config.port = listen.port;
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
  stack->serving_ = std::thread([server = stack->server_.get()] { server->serve_forever(); });
  return stack;
}

Stack::~Stack() {
  stop();
}

const server::Endpoint& Stack::front_door() const {
  return server_->address();
}

void Stack::stop() {
  if (server_) server_->stop();
  if (serving_.joinable()) serving_.join();
}

std::vector<Exchange> send_requests(const scenario::Scenario& scenario,
                                    const server::Endpoint& front_door, trace::Recorder* recorder) {
  client::Browser browser(front_door.host, front_door.port,
                          trace::Emitter(recorder, trace::Actor::Client, "client"));
  std::vector<Exchange> exchanges;
  int req = 0;
  for (const auto& request : scenario.requests) {
    ++req;
    exchanges.push_back({req, request, browser.send(request, req)});
    if (recorder) recorder->flush();
  }
  return exchanges;
}

}  // namespace reqtrace::topology
