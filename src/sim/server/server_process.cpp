#include "sim/server/server_process.hpp"

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
  if (!stop_.open()) throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
}

ServerProcess::~ServerProcess() {
  stop();
  if (!supervisor_) return;
  supervisor_->drop_events();
  while (!supervisor_->children().empty() && supervisor_->children().front().events.open()) {
    std::vector<pollfd> nothing_else;
    supervisor_->wait(nothing_else, -1);
    supervisor_->relay();
  }
  supervisor_->reap([](Child&, int) {}, /*block=*/true);
}

bool ServerProcess::start(trace::Recorder* parent, const Body& body, std::string& error) {
  // Its children live in the process itself; it has none to stop but its own exit.
  supervisor_.emplace(parent, std::chrono::milliseconds(0));
  Pipe events;
  std::unique_lock<std::mutex> no_flush;
  if (parent) no_flush = parent->hold_flushes();
  const pid_t pid = supervisor_->fork(events);
  if (pid != 0 && no_flush) no_flush.unlock();
  if (pid == 0) {
    // Only the parent may write: if it dies, even by SIGKILL, the pipe's end is seen here and the
    // process stops its children and goes, instead of keeping the port open as an orphan.
    stop_.write.reset();
    int code = 1;
    try {
      std::unique_ptr<trace::Recorder> recorder;
      if (parent) {
        recorder =
            std::make_unique<trace::Recorder>(trace::Recorder::ContinuingAfterFork{}, *parent);
        send_events_down(*recorder, events.write.get());
      }
      code = body(recorder.get(), events.write.get());
      if (recorder) recorder->flush();
    } catch (...) {
      code = 1;
    }
    events.write.reset();
    ::_exit(code);  // no atexit handlers or static destructors: they belong to the parent
  }
  if (pid < 0) {
    error = std::string("cannot fork the server process: ") + std::strerror(errno);
    supervisor_.reset();
    return false;
  }
  return true;
}

void ServerProcess::relay_until_exit(const trace::Emitter& emit) {
  if (!supervisor_ || supervisor_->children().empty()) return;
  // The pipe ends when the process has reaped its last child and exited.
  while (supervisor_->children().front().events.open()) {
    std::vector<pollfd> nothing_else;
    if (supervisor_->wait(nothing_else, -1) < 0) break;
    supervisor_->relay();
  }
  supervisor_->reap(
      [&emit](Child& process, int status) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
        emit(
            trace::Phase::Error, 0, trace::kOverview,
            "The server process (pid " + std::to_string(process.pid) + ") " + describe_exit(status),
            {}, {{"pid", process.pid}, {"status", describe_exit(status)}});
      },
      /*block=*/true);
}

void ServerProcess::stop() {
  const char byte = 's';
  [[maybe_unused]] auto written = ::write(stop_.write.get(), &byte, 1);
}

}  // namespace reqtrace::server
