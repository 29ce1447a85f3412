#include "sim/server/dev_server.hpp"

#include <nlohmann/json.hpp>

#include "sim/server/listening.hpp"
#include "sim/server/request_handler.hpp"

namespace reqtrace::server {

DevServer::DevServer(ServerConfig config, wsgi::Application& app, trace::Emitter emitter)
    : config_(std::move(config)), app_(app), emit_(std::move(emitter)) {}

bool DevServer::listen(std::string& error) {
  socket_ = ListeningSocket::listen(config_, error);
  if (!socket_) return false;
  announce_listening(*socket_, emit_,
                     "Server starts and listens on http://" + address().to_string() + "/",
                     {{"model", "dev"},
                      {"socket", "bind() + listen(): the kernel now queues connections for us"}});
  return true;
}

const Endpoint& DevServer::address() const {
  return socket_->address();
}

void DevServer::serve_forever() {
  wsgi::ServerTraits traits;  // one thread, one process: multithread and multiprocess are False
  RequestHandler handler(config_, app_, traits, socket_->address(), emit_, next_req_);
  while (auto connection = socket_->accept()) handler.handle(*connection);
}

void DevServer::stop() {
  if (socket_) socket_->wake();
}

}  // namespace reqtrace::server
