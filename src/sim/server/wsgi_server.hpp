// What every server model does for the stack: listen, serve until told to stop.
#pragma once

#include <optional>
#include <string>

#include "sim/server/socket.hpp"

namespace reqtrace::server {

// Werkzeug's BaseWSGIServer and gunicorn's arbiter differ in how they use
// threads and processes, not in this.
class WsgiServer {
 public:
  virtual ~WsgiServer() = default;
  // Binds and listens; false with `error` set when the address is taken or invalid.
  virtual bool listen(std::string& error) = 0;
  virtual const Endpoint& address() const = 0;
  // Where the server also speaks uwsgi (ServerConfig::uwsgi_port); nullopt when it does not.
  virtual std::optional<Endpoint> uwsgi_address() const { return std::nullopt; }
  // Serves until stop() is called from another thread.
  virtual void serve_forever() = 0;
  virtual void stop() = 0;
};

}  // namespace reqtrace::server
