// Forking children and watching them to their end: relaying what they say, reaping them when
// they exit, and killing the ones still there a graceful_timeout after stop (gunicorn's
// arbiter.py does this for its workers; Werkzeug's forking server for its children).
#pragma once

#include <poll.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "sim/server/child_events.hpp"
#include "sim/server/file_descriptor.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// How long a supervisor waits for a word from its children before it looks at them again, when
// it has reason to look without one: while stopping, or to catch a worker that closed its pipe
// before it exited. gunicorn's Arbiter.sleep() waits a second; a lesson's timeline wants the
// exit in the trace sooner.
inline constexpr std::chrono::milliseconds kArbiterSleep{50};

// One child as its supervisor keeps it.
struct Child {
  pid_t pid = -1;
  ChildEvents events;  // closed once the child has closed its end
  int number = 0;      // the caller's name for it (a pre-fork worker's 1..N); 0 when unused
  int req = 0;         // the request its last event named, 0 before any
};

class Supervisor {
 public:
  // Children's events are relayed into `recorder` (null: read and dropped). After stop(),
  // children get `graceful_timeout` to finish the request in hand before SIGKILL.
  Supervisor(trace::Recorder* recorder, std::chrono::milliseconds graceful_timeout);
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // fork() with `events` (opened here unless the caller opened it, to know its numbers before)
  // for the child's events. In the child it returns 0 with `events.write` the end to write to,
  // its read end, every other child's pipe and `close_in_child` closed; only async-signal-safe
  // calls are made on that path, so a child of a threaded process may go on to exec. In the
  // parent it returns the pid, the read end joins children() as child `number` and the write
  // end is closed; -1 when no pipe or fork could be had (errno says why).
  pid_t fork(Pipe& events, int number = 0, int close_in_child = -1);

  // Waits up to `timeout_ms` (-1: no limit) until a child speaks or one of `also` is ready, and
  // fills in the revents of `also`. As poll(): how many were ready, 0 on a timeout or a signal,
  // -1 when poll() failed.
  int wait(std::vector<pollfd>& also, int timeout_ms);
  // A child has closed its pipe but not yet exited: it is worth looking again soon.
  bool awaiting_exit() const;
  // Relays whatever every child has said so far.
  void relay();
  // Reaps each child that has exited, after relaying its last words: `exited(child, status)`
  // once it has left children() (so `exited` may fork its replacement). With `block`, waits for
  // every child to exit.
  void reap(const std::function<void(Child&, int status)>& exited, bool block = false);

  // From now on a child left graceful_timeout later is killed by the next kill_stragglers().
  void stop();
  bool stopping() const { return stop_deadline_.has_value(); }
  void kill_stragglers();

  std::vector<Child>& children() { return children_; }
  const std::vector<Child>& children() const { return children_; }
  trace::Recorder* recorder() const { return recorder_; }
  // Events relayed from now on are read and dropped: for a supervisor whose recorder may be gone.
  void drop_events() { recorder_ = nullptr; }

 private:
  trace::Recorder* recorder_;
  std::chrono::milliseconds graceful_timeout_;
  std::optional<std::chrono::steady_clock::time_point> stop_deadline_;
  std::vector<Child> children_;
};

}  // namespace reqtrace::server
