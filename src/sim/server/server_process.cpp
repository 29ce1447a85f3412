#include "sim/server/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace reqtrace::server {

ServerProcess::ServerProcess() {
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
}

ServerProcess::~ServerProcess() {
  stop();
  if (pid_ > 0) {
    while (events_.relay(nullptr)) {
      pollfd readable{events_.fd(), POLLIN, 0};
      ::poll(&readable, 1, -1);
    }
    ::waitpid(pid_, nullptr, 0);
  }
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

bool ServerProcess::start(trace::Recorder* parent, Body body, std::string& error) {
  EventsPipe pipe;
  if (!open_events_pipe(pipe)) {
    error = "cannot start the server process: out of file descriptors";
    return false;
  }
  std::unique_lock<std::mutex> no_flush;
  if (parent) no_flush = parent->hold_flushes();
  pid_ = ::fork();
  if (pid_ != 0 && no_flush) no_flush.unlock();
  if (pid_ == 0) {
    ::close(pipe.read_fd);
    // Only the parent may write: if it dies, even by SIGKILL, the pipe's end is seen here and the
    // process stops its children and goes, instead of keeping the port open as an orphan.
    ::close(stop_pipe_[1]);
    int code = 1;
    try {
      std::unique_ptr<trace::Recorder> recorder;
      if (parent) {
        recorder =
            std::make_unique<trace::Recorder>(trace::Recorder::ContinuingAfterFork{}, *parent);
        send_events_down(*recorder, pipe.write_fd);
      }
      code = body(recorder.get(), pipe.write_fd);
      if (recorder) recorder->flush();
    } catch (...) {
      code = 1;
    }
    ::close(pipe.write_fd);
    ::_exit(code);  // no atexit handlers or static destructors: they belong to the parent
  }
  ::close(pipe.write_fd);
  if (pid_ < 0) {
    error = std::string("cannot fork the server process: ") + std::strerror(errno);
    ::close(pipe.read_fd);
    return false;
  }
  events_ = ChildEvents(pipe.read_fd);
  return true;
}

void ServerProcess::relay_until_exit(const trace::Emitter& emit) {
  if (pid_ <= 0) return;
  // The pipe ends when the process has reaped its last child and exited.
  for (;;) {
    pollfd readable{events_.fd(), POLLIN, 0};
    if (::poll(&readable, 1, -1) < 0 && errno != EINTR) break;
    if (!events_.relay(emit.recorder())) break;
  }
  events_ = ChildEvents();
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    emit(trace::Phase::Error, 0, trace::kOverview,
         "The server process (pid " + std::to_string(pid_) + ") " + describe_exit(status), {},
         {{"pid", pid_}, {"status", describe_exit(status)}});
  pid_ = -1;
}

void ServerProcess::stop() {
  const char byte = 's';
  [[maybe_unused]] auto written = ::write(stop_pipe_[1], &byte, 1);
}

}  // namespace reqtrace::server
