#include "sim/server/supervisor.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <utility>

namespace reqtrace::server {

Supervisor::Supervisor(trace::Recorder* recorder, std::chrono::milliseconds graceful_timeout)
    : recorder_(recorder), graceful_timeout_(graceful_timeout) {}

pid_t Supervisor::fork(Pipe& events, int number, int close_in_child) {
  // Above stdio: a child that execs may move its stdin and stdout onto 0 and 1 without
  // clobbering this pipe.
  if (!events.read && !events.open(/*above_stdio=*/true)) return -1;
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    events.read.reset();
    for (Child& child : children_) ::close(child.events.fd());
    if (close_in_child >= 0) ::close(close_in_child);
    return 0;
  }
  events.write.reset();
  children_.push_back({pid, ChildEvents(std::move(events.read)), number, 0});
  return pid;
}

int Supervisor::wait(std::vector<pollfd>& also, int timeout_ms) {
  std::vector<pollfd> fds = also;
  for (const Child& child : children_)
    if (child.events.open()) fds.push_back({child.events.fd(), POLLIN, 0});
  const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
  if (ready < 0) return errno == EINTR ? 0 : -1;
  std::copy_n(fds.begin(), also.size(), also.begin());
  return ready;
}

bool Supervisor::awaiting_exit() const {
  return std::any_of(children_.begin(), children_.end(),
                     [](const Child& child) { return !child.events.open(); });
}

void Supervisor::relay() {
  for (Child& child : children_) {
    if (!child.events.open()) continue;
    const bool open = child.events.relay(recorder_);
    child.req = child.events.last_request();
    if (!open) child.events = ChildEvents();  // it closed its end: it is exiting
  }
}

void Supervisor::reap(const std::function<void(Child&, int status)>& exited, bool block) {
  std::vector<std::pair<Child, int>> gone;
  for (auto it = children_.begin(); it != children_.end();) {
    int status = 0;
    pid_t reaped;
    while ((reaped = ::waitpid(it->pid, &status, block ? 0 : WNOHANG)) < 0 && errno == EINTR) {
    }
    if (reaped != it->pid) {
      ++it;
      continue;
    }
    if (it->events.open()) {
      it->events.relay(recorder_);  // whatever it said before it went
      it->req = it->events.last_request();
      it->events = ChildEvents();
    }
    gone.emplace_back(std::move(*it), status);
    it = children_.erase(it);
  }
  for (auto& [child, status] : gone) exited(child, status);
}

void Supervisor::stop() {
  if (!stop_deadline_) stop_deadline_ = std::chrono::steady_clock::now() + graceful_timeout_;
}

void Supervisor::kill_stragglers() {
  if (!stop_deadline_ || std::chrono::steady_clock::now() <= *stop_deadline_) return;
  for (const Child& child : children_) ::kill(child.pid, SIGKILL);  // stuck with a client
}

}  // namespace reqtrace::server
