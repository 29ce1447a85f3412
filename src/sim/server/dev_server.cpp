#include "sim/server/dev_server.hpp"

#include "sim/server/request_handler.hpp"

namespace reqtrace::server {

DevServer::DevServer(ServerConfig config, wsgi::Application& app, trace::Emitter emitter)
    : WerkzeugWsgiServer(std::move(config), std::move(emitter),
                         WerkzeugStartup(WerkzeugServer::Base)),
      app_(app) {}

WsgiServer::Announcement DevServer::announcement() const {
  // The classic lesson's first step keeps its words; the data and level 3 name the class.
  return {"Server starts and listens on http://" + address().to_string() + "/",
          {{"model", "dev"},
           {"werkzeug", startup_.class_name()},
           {"socket", "bind() + listen(): the kernel now queues connections for us"}}};
}

void DevServer::serve_forever() {
  startup_.serve_forever(emit_);
  wsgi::ServerTraits traits;  // one thread, one process: multithread and multiprocess are False
  RequestHandler handler(config_, app_, traits, socket_->address(), emit_, *next_req_);
  while (auto connection = socket_->accept()) handler.handle(*connection);
}

}  // namespace reqtrace::server
