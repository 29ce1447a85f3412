// What Werkzeug's three servers share: run_simple's startup, told around our own bind and listen.
#pragma once

#include "sim/server/werkzeug_startup.hpp"
#include "sim/server/wsgi_server.hpp"

namespace reqtrace::server {

// BaseWSGIServer, ThreadedWSGIServer and ForkingWSGIServer all come from run_simple ->
// make_server; they differ only in how they serve a connection.
class WerkzeugWsgiServer : public WsgiServer {
 protected:
  WerkzeugWsgiServer(ServerConfig config, trace::Emitter emitter, WerkzeugStartup startup)
      : WsgiServer(std::move(config), std::move(emitter)), startup_(startup) {}

  WerkzeugStartup startup_;

 private:
  void binding() override { startup_.run_simple(emit_); }
  void bound() override { startup_.socket_ready(emit_, address(), config_.backlog); }
};

}  // namespace reqtrace::server
