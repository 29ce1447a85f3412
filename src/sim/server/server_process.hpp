// A process of the server's own that supervises others: Werkzeug's forking server loop and
// gunicorn's arbiter. It is forked when the server starts listening, while this process has the
// fewest threads, and its events, and those of the processes it forks, come home through one
// pipe.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

#include "sim/server/file_descriptor.hpp"
#include "sim/server/supervisor.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

class ServerProcess {
 public:
  // What runs in the process, on its one thread. `recorder` continues this process's trace (null
  // when nothing is recorded) and is flushed by the body itself, as no thread of its own does
  // it; `events_fd` is the pipe it goes up, for children to close. Returns the exit status.
  using Body = std::function<int(trace::Recorder* recorder, int events_fd)>;

  ServerProcess();   // throws std::runtime_error when out of file descriptors
  ~ServerProcess();  // stops the process and reaps it if relay_until_exit() never did
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Forks the process, which runs `body` and exits. A fork copies every lock as it stands, and
  // one another thread held at that instant (inside malloc, say) would stay held in the new
  // process, and in each process it forks, forever: so the process is forked before the stack
  // starts its other threads (the recorder's flushes held off meanwhile), and then forks only
  // from its own single thread.
  bool start(trace::Recorder* parent, const Body& body, std::string& error);
  // Relays the process's events into `emit`'s recorder until it exits, then reaps it; an
  // error event says so when it did not exit with status 0.
  void relay_until_exit(const trace::Emitter& emit);
  // Asks the process to stop: stop_fd() becomes readable in it, as it does when this process
  // dies. Safe from any thread.
  void stop();
  int stop_fd() const { return stop_.read.get(); }

 private:
  Pipe stop_;
  std::optional<Supervisor> supervisor_;  // from start(): the one child is the process
};

}  // namespace reqtrace::server
