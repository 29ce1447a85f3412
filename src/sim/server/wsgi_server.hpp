// What every server model shares: its setup, its listening socket, how it says it is up, and
// one numbering of requests; the models differ in how threads and processes serve.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sim/server/request_number.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

// Werkzeug's BaseWSGIServer and gunicorn's arbiter differ in how they use threads and
// processes, not in this.
class WsgiServer {
 public:
  virtual ~WsgiServer() = default;
  WsgiServer(const WsgiServer&) = delete;
  WsgiServer& operator=(const WsgiServer&) = delete;

  // Binds and listens, says so, and starts what the model runs beside this process; false with
  // `error` set when the address is taken or invalid, or the model cannot start.
  bool listen(std::string& error);
  const Endpoint& address() const { return address_; }
  // Where the server also speaks uwsgi (ServerConfig::uwsgi_port); nullopt when it does not.
  std::optional<Endpoint> uwsgi_address() const { return uwsgi_address_; }
  // Serves until stop() is called from another thread.
  virtual void serve_forever() = 0;
  // From any thread. By default wakes every accept() on the socket.
  virtual void stop();

 protected:
  WsgiServer(ServerConfig config, trace::Emitter emitter);

  // The overview event that says the server is up: the model's own sentence ("Server starts and
  // listens on http://…/") and data (model, workers…), to which the bound address is added.
  struct Announcement {
    std::string says;
    nlohmann::json details;
  };
  virtual Announcement announcement() const = 0;
  // Before binding: false with `error` when the model cannot serve this config.
  virtual bool can_serve(std::string& error) const;
  // Just before the socket is bound, and just after it listens (before the announcement): where
  // a model tells the steps of its real server's startup. By default nothing.
  virtual void binding() {}
  virtual void bound() {}
  // Binds, announces and start()s, in this process. A model whose socket is bound by another
  // process it starts (gunicorn's arbiter) does that instead, and announces from there.
  virtual bool bind_and_start(std::string& error);
  // Takes `socket`'s addresses as the server's and says it listens, in `emit`'s voice.
  void announce(const ListeningSocket& socket, const trace::Emitter& emit);
  // After the announcement: what the model starts beside this process (a server process).
  virtual bool start(std::string& error);

  ServerConfig config_;
  trace::Emitter emit_;
  std::unique_ptr<ListeningSocket> socket_;  // null when another process holds it
  Endpoint address_;
  std::optional<Endpoint> uwsgi_address_;
  SharedRequestCounter next_req_;  // one numbering for every thread and every forked process
};

}  // namespace reqtrace::server
