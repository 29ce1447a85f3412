// Running a CGI program for one request: fork and exec it, feed the body to its stdin, read its
// stdout, bring its trace events home, and reap it when it exits.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "sim/server/file_descriptor.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

// What the server runs for each request.
struct CgiProgram {
  std::string path;               // the executable
  std::vector<std::string> args;  // its arguments, after argv[0]
  // Open files every program inherits under these very numbers (say, the scenario it serves);
  // closed with the CgiProgram.
  std::vector<FileDescriptor> inherited_fds;
};

struct ProgramRun {
  pid_t pid = -1;  // -1 when it could not be started; `error` says why
  std::string error;
  std::string output;      // all it wrote to stdout
  int status = 0;          // as waitpid() gave it
  bool timed_out = false;  // it went quiet for too long and was killed
};

// Runs one program to its end. `environment` holds its NAME=value pairs; when `voice` records,
// the program also gets the trace's clock, seq counter and a pipe for its events, which are
// relayed as they come. Emits fork (before the program runs) and exit (when it is reaped) on
// the lane worker-<pid>, each tied to request `req`. A program silent on both stdout and its
// events for `quiet_timeout_ms` is killed.
ProgramRun run_cgi_program(const CgiProgram& program, std::vector<std::string> environment,
                           const std::string& body, const trace::Emitter& voice, int req,
                           int quiet_timeout_ms);

}  // namespace reqtrace::server
