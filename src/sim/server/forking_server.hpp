// The fork-per-request model: the server process accepts each connection and forks a child that
// serves it and exits, like Werkzeug's ForkingMixIn (run_simple(..., processes=N)).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/server/app_factory.hpp"
#include "sim/server/child_events.hpp"
#include "sim/server/request_number.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/server_process.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/wsgi_server.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

class ForkingServer : public WsgiServer {
 public:
  // The app is built here, once, before any fork: every child serves with its
  // own copy of that object, as ForkingMixIn's children do, so whatever a
  // request changes in the app dies with its child. At most `max_children`
  // children live at once (socketserver's max_children); at the cap, accept
  // waits until one exits.
  ForkingServer(ServerConfig config, int max_children, const AppFactory& make_app,
                trace::Emitter emitter);
  ~ForkingServer() override;

  // Binds, then starts the server process (see ServerProcess), which accepts, forks and reaps
  // until stop().
  bool listen(std::string& error) override;
  const Endpoint& address() const override;
  std::optional<Endpoint> uwsgi_address() const override { return socket_->uwsgi_address(); }
  // Relays the events of the server process and its children into this
  // process's trace. Returns once the server process and every child are gone.
  void serve_forever() override;
  void stop() override;

 private:
  struct Child {
    pid_t pid = -1;
    ChildEvents events;  // closed once the child has closed its end
    int req = 0;         // the request it served, as its events said
  };
  // The server process's one thread, as Werkzeug's: accept, fork, reap. Returns its exit status.
  int accept_loop(trace::Recorder* recorder, int events_fd);
  // Forks a child for the connection and closes the server's own copy of it.
  void fork_child(std::optional<Connection>& connection, std::vector<Child>& children,
                  int server_events_fd, const trace::Emitter& voice);
  [[noreturn]] void serve_in_child(Connection& connection, int events_fd);
  void reap(Child& child, int status, const trace::Emitter& voice);

  ServerConfig config_;
  int max_children_;
  trace::Emitter emit_;
  // The app's voice. Outside the children it never says a word (the app only
  // runs in them); each child's copy of it gets a sink down that child's pipe.
  std::unique_ptr<trace::Recorder> children_recorder_;
  std::unique_ptr<wsgi::Application> app_;
  std::unique_ptr<ListeningSocket> socket_;
  SharedRequestCounter next_req_;  // one numbering for every process
  ServerProcess process_;  // accepts, forks, reaps; its and its children's events come up it
};

}  // namespace reqtrace::server
