// The fork-per-request model: the server process accepts each connection and forks a child that
// serves it and exits, like Werkzeug's ForkingWSGIServer (run_simple(..., processes=N)).
#pragma once

#include <memory>
#include <optional>

#include "sim/server/app_factory.hpp"
#include "sim/server/file_descriptor.hpp"
#include "sim/server/server_process.hpp"
#include "sim/server/supervisor.hpp"
#include "sim/server/werkzeug_wsgi_server.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

class ForkingServer : public WerkzeugWsgiServer {
 public:
  // The app is built here, once, before any fork: every child serves with its
  // own copy of that object, as ForkingMixIn's children do, so whatever a
  // request changes in the app dies with its child. At most `max_children`
  // children live at once (ForkingWSGIServer sets socketserver's max_children to
  // run_simple's processes); at the cap, accept waits until one exits.
  ForkingServer(ServerConfig config, int max_children, const AppFactory& make_app,
                trace::Emitter emitter);
  ~ForkingServer() override;

  // Relays the events of the server process and its children into this
  // process's trace. Returns once the server process and every child are gone.
  void serve_forever() override;
  void stop() override;

 private:
  Announcement announcement() const override;
  // Starts the server process (see ServerProcess), which accepts, forks and reaps until stop().
  bool start(std::string& error) override;
  // The server process's one thread, as Werkzeug's: accept, fork, reap. Returns its exit status.
  int accept_loop(trace::Recorder* recorder, int events_fd);
  // Forks a child for the connection and closes the server's own copy of it.
  void fork_child(std::optional<Connection>& connection, Supervisor& children, int server_events_fd,
                  const trace::Emitter& voice);
  [[noreturn]] void serve_in_child(Connection& connection, FileDescriptor events);

  int max_children_;
  // The app's voice. Outside the children it never says a word (the app only
  // runs in them); each child's copy of it gets a sink down that child's pipe.
  std::unique_ptr<trace::Recorder> children_recorder_;
  std::unique_ptr<wsgi::Application> app_;
  ServerProcess process_;  // accepts, forks, reaps; its and its children's events come up it
};

}  // namespace reqtrace::server
