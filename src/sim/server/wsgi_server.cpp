#include "sim/server/wsgi_server.hpp"

#include <nlohmann/json.hpp>

namespace reqtrace::server {

WsgiServer::WsgiServer(ServerConfig config, trace::Emitter emitter)
    : config_(std::move(config)), emit_(std::move(emitter)) {}

bool WsgiServer::listen(std::string& error) {
  if (!can_serve(error)) return false;
  return bind_and_start(error);
}

bool WsgiServer::bind_and_start(std::string& error) {
  binding();
  socket_ = ListeningSocket::listen(config_, error);
  if (!socket_) return false;
  bound();
  announce(*socket_, emit_);
  return start(error);
}

void WsgiServer::announce(const ListeningSocket& socket, const trace::Emitter& emit) {
  address_ = socket.address();
  uwsgi_address_ = socket.uwsgi_address();
  Announcement announced = announcement();
  announced.details["host"] = address_.host;
  announced.details["port"] = address_.port;
  emit(trace::Phase::Listening, 0, trace::kOverview, announced.says,
       {{"server.state", "Listening for requests"}}, announced.details);
  if (uwsgi_address_)
    emit(trace::Phase::Listening, 0, trace::kOverview,
         "The server also speaks uwsgi on " + uwsgi_address_->to_string() +
             ": a proxy such as nginx (uwsgi_pass) sends requests there as binary packets",
         {},
         {{"host", uwsgi_address_->host},
          {"port", uwsgi_address_->port},
          {"protocol", "uwsgi"},
          {"socket", "a second listening socket; accept() waits on both"}});
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
