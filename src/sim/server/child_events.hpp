// How a child process's events come home: the child records on the parent's clock and seq and
// writes JSON lines down a pipe; the parent reads the pipe and relays each event into its trace.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/server/file_descriptor.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// --- the child's end ------------------------------------------------------

// Each batch the recorder flushes goes down `fd` as JSON lines, seq and time
// already stamped: the parent keeps them as they are.
void send_events_down(trace::Recorder& recorder, int fd);

// A recorder for a process just forked from the one that owns `parent`: the
// same clock and seq counter, its events going down `events_fd`, flushed every
// few milliseconds so the timeline moves while the child works. nullptr when
// the parent records nothing.
std::unique_ptr<trace::Recorder> recorder_after_fork(const trace::Recorder* parent, int events_fd);

// Before a child exits: stop the background flush and send the rest down its pipe.
void finish_child_events(trace::Recorder* recorder);

// Environment variables that tell an exec'd program how to continue the trace.
inline constexpr const char* kEventsFdVariable = "REQTRACE_EVENTS_FD";
inline constexpr const char* kSequenceFdVariable = "REQTRACE_SEQ_FD";
inline constexpr const char* kClockOriginVariable = "REQTRACE_CLOCK_ORIGIN_NS";
// Which request a CGI program serves, so its events carry the server's number for it.
inline constexpr const char* kRequestVariable = "REQTRACE_REQ";

// "NAME=value" entries for a program's environment. `events_fd` and
// `sequence_fd` must be inherited by the program (not close-on-exec) under
// these very numbers.
std::vector<std::string> trace_environment(const trace::Recorder& parent, int events_fd,
                                           int sequence_fd);

// In an exec'd program: the recorder the environment describes, its events
// going down the inherited pipe; nullptr when the variables are absent (the
// program was not started by reqtrace) or unusable, with `problem` saying why
// in the second case.
struct InheritedTrace {
  FileDescriptor events;  // the pipe the recorder writes to: declared first, so closed last
  std::unique_ptr<trace::Recorder> recorder;
};
InheritedTrace recorder_from_environment(std::string& problem);

// --- the parent's end -----------------------------------------------------

// The read end of one child's events pipe (a Pipe's read end, the child holding the write end).
class ChildEvents {
 public:
  ChildEvents() = default;                        // no child
  explicit ChildEvents(FileDescriptor read_end);  // made non-blocking here

  // Relays every whole line that has arrived into `into`, without waiting.
  // false once the child's end is closed and everything is read: it is gone.
  bool relay(trace::Recorder* into);
  // The request of the last event relayed that belonged to one; 0 before any did.
  int last_request() const { return last_request_; }
  int fd() const { return fd_.get(); }  // -1 when there is no child
  bool open() const { return fd_.open(); }

 private:
  FileDescriptor fd_;
  std::string pending_;  // bytes of an event line not yet complete
  int last_request_ = 0;
};

// "exited with status 0", "was killed by signal 9 (Killed)", from waitpid's status.
std::string describe_exit(int status);

}  // namespace reqtrace::server
