#include "sim/server/child_events.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "trace/event_json.hpp"

namespace reqtrace::server {
namespace {

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// A whole number from the environment; false when absent or not a number.
bool number_from_environment(const char* name, long long& value, std::string& problem) {
  const char* text = std::getenv(name);
  if (text == nullptr) return false;
  const char* end = text + std::strlen(text);
  auto [stop, error] = std::from_chars(text, end, value);
  if (error != std::errc() || stop != end || stop == text) {
    problem = std::string(name) + " is \"" + text + "\"; expected a whole number";
    return false;
  }
  return true;
}

}  // namespace

void send_events_down(trace::Recorder& recorder, int fd) {
  recorder.add_sink([fd](const std::vector<trace::Event>& batch) {
    std::string lines;
    for (const auto& event : batch) trace::append_json_line(event, lines);
    write_all(fd, lines);
  });
}

std::unique_ptr<trace::Recorder> recorder_after_fork(const trace::Recorder* parent, int events_fd) {
  if (parent == nullptr) return nullptr;
  // Only the forking thread came through the fork: nothing of the parent's
  // recorder is touched but its clock and seq counter, which the fork shares.
  auto recorder =
      std::make_unique<trace::Recorder>(trace::Recorder::ContinuingAfterFork{}, *parent);
  send_events_down(*recorder, events_fd);
  recorder->start_background_flush(std::chrono::milliseconds(10));
  return recorder;
}

void finish_child_events(trace::Recorder* recorder) {
  if (!recorder) return;
  recorder->stop_background_flush();
  recorder->flush();
}

std::vector<std::string> trace_environment(const trace::Recorder& parent, int events_fd,
                                           int sequence_fd) {
  return {std::string(kEventsFdVariable) + "=" + std::to_string(events_fd),
          std::string(kSequenceFdVariable) + "=" + std::to_string(sequence_fd),
          std::string(kClockOriginVariable) + "=" + std::to_string(parent.clock_origin_ns())};
}

InheritedTrace recorder_from_environment(std::string& problem) {
  InheritedTrace inherited;
  long long events_fd = -1, sequence_fd = -1, origin = 0;
  const bool has_events = number_from_environment(kEventsFdVariable, events_fd, problem);
  const bool has_sequence = number_from_environment(kSequenceFdVariable, sequence_fd, problem);
  const bool has_origin = number_from_environment(kClockOriginVariable, origin, problem);
  if (!problem.empty()) return inherited;
  if (!has_events && !has_sequence && !has_origin) return inherited;  // not run by reqtrace
  if (!has_events || !has_sequence || !has_origin) {
    problem = std::string("expected all of ") + kEventsFdVariable + ", " + kSequenceFdVariable +
              " and " + kClockOriginVariable + " or none";
    return inherited;
  }
  if (events_fd < 0 || events_fd > 65535 || ::fcntl(static_cast<int>(events_fd), F_GETFD) < 0) {
    problem = std::string(kEventsFdVariable) + "=" + std::to_string(events_fd) +
              " is not an open file descriptor";
    return inherited;
  }
  try {
    inherited.recorder = std::make_unique<trace::Recorder>(
        trace::Recorder::ContinuingAfterExec{origin, static_cast<int>(sequence_fd)});
  } catch (const std::exception& e) {
    problem = e.what();
    return inherited;
  }
  inherited.events.reset(static_cast<int>(events_fd));
  // Nothing this program starts needs the pipe or the counter.
  ::fcntl(inherited.events.get(), F_SETFD, FD_CLOEXEC);
  ::fcntl(static_cast<int>(sequence_fd), F_SETFD, FD_CLOEXEC);
  send_events_down(*inherited.recorder, inherited.events.get());
  return inherited;
}

ChildEvents::ChildEvents(FileDescriptor read_end) : fd_(std::move(read_end)) {
  ::fcntl(fd_.get(), F_SETFL, O_NONBLOCK);
}

bool ChildEvents::relay(trace::Recorder* into) {
  if (!fd_) return false;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd_.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return true;  // drained for now (EAGAIN); the child is still there
    if (n == 0) return false;
    pending_.append(buffer, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t end; (end = pending_.find('\n', start)) != std::string::npos;
         start = end + 1) {
      trace::Event event;
      std::string error;
      const auto record = nlohmann::ordered_json::parse(
          pending_.begin() + static_cast<std::ptrdiff_t>(start),
          pending_.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false);
      if (record.is_discarded() || !trace::event_from_json(record, event, error)) continue;
      if (event.req != 0) last_request_ = event.req;
      if (into) into->relay(std::move(event));
    }
    pending_.erase(0, start);
  }
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status))
    return std::string("was killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace reqtrace::server
