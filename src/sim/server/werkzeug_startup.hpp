// Werkzeug 2.2's startup as werkzeug/serving.py runs it, told at the framework-internals level:
// app.run() -> run_simple -> prepare_socket -> make_server -> the server class -> serve_forever.
#pragma once

#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

// The class make_server(threaded, processes) picks.
enum class WerkzeugServer {
  Base,      // BaseWSGIServer: run_simple without threaded or processes
  Threaded,  // ThreadedWSGIServer: threaded=True, what app.run() and flask run ask for
  Forking,   // ForkingWSGIServer: processes=N > 1
};

// Each says what Werkzeug does at that point, where our server does the same thing. `emit` is
// the server's voice; `processes` is the forking server's max_children.
class WerkzeugStartup {
 public:
  WerkzeugStartup(WerkzeugServer server, int processes = 1)
      : server_(server), processes_(processes) {}

  // "BaseWSGIServer": the class's name in serving.py.
  const char* class_name() const;
  // Before any socket: who calls run_simple, and with what.
  void run_simple(const trace::Emitter& emit) const;
  // Just after bind() and listen(): prepare_socket did them, and make_server wraps the socket.
  void socket_ready(const trace::Emitter& emit, const Endpoint& address, int backlog) const;
  // As the accept loop starts.
  void serve_forever(const trace::Emitter& emit) const;

 private:
  WerkzeugServer server_;
  int processes_;
};

}  // namespace reqtrace::server
