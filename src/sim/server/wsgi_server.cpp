#include "sim/server/wsgi_server.hpp"

#include <nlohmann/json.hpp>

namespace reqtrace::server {

WsgiServer::WsgiServer(ServerConfig config, trace::Emitter emitter)
    : config_(std::move(config)), emit_(std::move(emitter)) {}

bool WsgiServer::listen(std::string& error) {
  if (!can_serve(error)) return false;
  binding();
  socket_ = ListeningSocket::listen(config_, error);
  if (!socket_) return false;
  bound();
  Announcement announced = announcement();
  const Endpoint& bound = socket_->address();
  announced.details["host"] = bound.host;
  announced.details["port"] = bound.port;
  emit_(trace::Phase::Listening, 0, trace::kOverview, announced.says,
        {{"server.state", "Listening for requests"}}, announced.details);
  if (const auto& uwsgi = socket_->uwsgi_address())
    emit_(trace::Phase::Listening, 0, trace::kOverview,
          "The server also speaks uwsgi on " + uwsgi->to_string() +
              ": a proxy such as nginx (uwsgi_pass) sends requests there as binary packets",
          {},
          {{"host", uwsgi->host},
           {"port", uwsgi->port},
           {"protocol", "uwsgi"},
           {"socket", "a second listening socket; accept() waits on both"}});
  return start(error);
}

void WsgiServer::stop() {
  if (socket_) socket_->wake();
}

bool WsgiServer::can_serve(std::string&) const {
  return true;
}

bool WsgiServer::start(std::string&) {
  return true;
}

}  // namespace reqtrace::server
