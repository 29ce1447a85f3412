#include "sim/cgi/cgi_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <nlohmann/json.hpp>

#include "sim/server/child_events.hpp"
#include "sim/server/file_descriptor.hpp"
#include "sim/server/supervisor.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxOutput = 64u << 20;  // a program writing more is cut off

// The NULL-terminated arrays execve() wants, made before fork(): between fork and exec the
// child of a threaded process may only make async-signal-safe calls, so no allocation.
struct ExecArguments {
  std::vector<std::string> argv_text, envp_text;
  std::vector<char*> argv, envp;
  ExecArguments(const CgiProgram& program, std::vector<std::string> environment)
      : envp_text(std::move(environment)) {
    argv_text.push_back(program.path);
    argv_text.insert(argv_text.end(), program.args.begin(), program.args.end());
    for (auto& text : argv_text) argv.push_back(text.data());
    argv.push_back(nullptr);
    for (auto& text : envp_text) envp.push_back(text.data());
    envp.push_back(nullptr);
  }
};

// Blocks SIGPIPE in this thread while it lives; a write to a closed pipe then fails with EPIPE,
// and the signal it left pending is taken away before the mask is restored.
struct PipeSignalBlocked {
  sigset_t pipe_only, before;
  PipeSignalBlocked() {
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &before);
  }
  ~PipeSignalBlocked() {
    const timespec no_wait{};
    while (sigtimedwait(&pipe_only, nullptr, &no_wait) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
  }
  PipeSignalBlocked(const PipeSignalBlocked&) = delete;
  PipeSignalBlocked& operator=(const PipeSignalBlocked&) = delete;
};

std::string command_line(const CgiProgram& program) {
  std::string line = program.path;
  for (const auto& arg : program.args) line += " " + arg;
  return line;
}

}  // namespace

ProgramRun run_cgi_program(const CgiProgram& program, std::vector<std::string> environment,
                           const std::string& body, const trace::Emitter& voice, int req,
                           int quiet_timeout_ms) {
  ProgramRun run;
  trace::Recorder* recorder = voice.recorder();
  const bool traced = recorder != nullptr && recorder->sequence_fd() >= 0;
  // Above stdio, so moving in and out onto stdin and stdout in the child cannot clobber each
  // other, whatever the server itself has open.
  Pipe in, out, go, events;
  if (!in.open(true) || !out.open(true) || !go.open(true) || !events.open(true)) {
    run.error = std::string("cannot make pipes for the program: ") + std::strerror(errno);
    return run;
  }
  std::vector<int> inherited;
  for (const FileDescriptor& fd : program.inherited_fds) inherited.push_back(fd.get());
  if (traced) {
    for (auto& variable : trace_environment(*recorder, events.write.get(), recorder->sequence_fd()))
      environment.push_back(std::move(variable));
    inherited.push_back(events.write.get());
    inherited.push_back(recorder->sequence_fd());
  }
  ExecArguments exec(program, std::move(environment));
  const std::string exec_failed = "reqtrace: cannot run the CGI program " + program.path + "\n";
  // A program that exits without reading all of its stdin must not kill the server with
  // SIGPIPE: this thread blocks it while it writes; the program starts with the thread's mask.
  const PipeSignalBlocked pipe_signal_blocked;

  // Its events, when it is traced, come up `events`; untraced, that pipe closes at the exec.
  Supervisor supervisor(recorder, std::chrono::milliseconds(0));
  run.pid = supervisor.fork(events);
  if (run.pid == 0) {
    // Only async-signal-safe calls from here to execve().
    in.write.reset();
    out.read.reset();
    go.write.reset();
    ::dup2(in.read.get(), 0);
    ::dup2(out.write.get(), 1);
    // Nothing else of the server's reaches the program: not its sockets, not other programs'
    // pipes, only what is named to be inherited.
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    for (int fd : inherited) ::fcntl(fd, F_SETFD, 0);
    // Wait until the server has recorded the fork, so the trace's order is the true one.
    char byte;
    while (::read(go.read.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    pthread_sigmask(SIG_SETMASK, &pipe_signal_blocked.before, nullptr);
    ::execve(exec.argv[0], exec.argv.data(), exec.envp.data());
    [[maybe_unused]] auto written = ::write(2, exec_failed.data(), exec_failed.size());
    ::_exit(127);
  }
  if (run.pid < 0) {
    run.error = std::string("fork() failed: ") + std::strerror(errno);
    return run;
  }
  in.read.reset();
  out.write.reset();
  go.read.reset();
  const std::string lane = "worker-" + std::to_string(run.pid);
  trace::Emitter(recorder, trace::Actor::Worker, lane)(
      Phase::Fork, req, trace::kOverview,
      "Server forks and execs the CGI program (pid " + std::to_string(run.pid) +
          "): a new process that starts from nothing, for this one request",
      {}, {{"pid", run.pid}, {"command", command_line(program)}, {"stdin_bytes", body.size()}});
  go.write.reset();  // the program may run now

  const Child& child = supervisor.children().front();
  ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);
  std::size_t body_sent = 0;
  if (body.empty()) in.write.reset();  // EOF at once: there is nothing to read
  auto quiet_since = Clock::now();
  while (out.read || child.events.open()) {
    std::vector<pollfd> fds;
    if (out.read) fds.push_back({out.read.get(), POLLIN, 0});
    if (in.write) fds.push_back({in.write.get(), POLLOUT, 0});
    const auto left =
        quiet_timeout_ms -
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - quiet_since).count();
    if (left <= 0) {
      run.timed_out = true;
      ::kill(run.pid, SIGKILL);
      break;
    }
    const int ready = supervisor.wait(fds, static_cast<int>(left));
    if (ready < 0) break;
    if (ready == 0) continue;
    quiet_since = Clock::now();
    supervisor.relay();
    for (const auto& polled : fds) {
      if (!polled.revents) continue;
      if (polled.fd == out.read.get()) {
        char buffer[65536];
        const ssize_t n = ::read(out.read.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || run.output.size() > kMaxOutput) {
          out.read.reset();
          if (n > 0) ::kill(run.pid, SIGKILL);
          continue;
        }
        run.output.append(buffer, static_cast<std::size_t>(n));
      } else if (polled.fd == in.write.get()) {
        const ssize_t n = ::write(in.write.get(), body.data() + body_sent, body.size() - body_sent);
        if (n > 0) body_sent += static_cast<std::size_t>(n);
        // Done, or the program closed its stdin without reading it all (EPIPE): both end it.
        if (body_sent == body.size() || (n < 0 && errno != EAGAIN && errno != EINTR))
          in.write.reset();
      }
    }
  }
  in.write.reset();
  out.read.reset();
  // What it said before it was killed is relayed before its exit.
  supervisor.reap([&run](Child&, int status) { run.status = status; }, /*block=*/true);
  const std::string how = describe_exit(run.status);
  trace::Emitter(recorder, trace::Actor::Worker, lane)(
      Phase::Exit, req, trace::kOverview,
      "CGI program " + std::to_string(run.pid) + " " + how + " after writing " +
          std::to_string(run.output.size()) + " bytes to stdout" +
          (run.timed_out
               ? " (killed: it was silent for " + std::to_string(quiet_timeout_ms) + " ms)"
               : ""),
      {}, {{"pid", run.pid}, {"status", how}, {"stdout_bytes", run.output.size()}});
  return run;
}

}  // namespace reqtrace::server
