// Running reqtrace and real peers (curl) as child processes in tests.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

namespace reqtrace::testing {

struct Finished {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv to completion, capturing stdout and stderr separately.
inline Finished run_process(const std::vector<std::string>& argv, const std::string& input = "") {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC) || ::pipe2(in_pipe, O_CLOEXEC))
    return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::close(in_pipe[0]);
  if (!input.empty()) [[maybe_unused]]
    auto n = ::write(in_pipe[1], input.data(), input.size());
  ::close(in_pipe[1]);
  Finished finished;
  std::array<pollfd, 2> fds = {pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  int open_pipes = 2;
  char buffer[8192];
  while (open_pipes > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
        continue;
      }
      (i == 0 ? finished.out : finished.err).append(buffer, static_cast<std::size_t>(n));
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  finished.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return finished;
}

// A long-running child whose stdout is read line by line (reqtrace serve).
class Background {
 public:
  explicit Background(const std::vector<std::string>& argv) {
    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC)) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      // A group of its own, so stop() reaches the workers it forks too (see there).
      ::setpgid(0, 0);
      ::dup2(out_pipe[1], 1);
      std::vector<char*> args;
      args.reserve(argv.size() + 1);
      for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::close(out_pipe[1]);
    out_ = out_pipe[0];
  }
  ~Background() {
    stop(SIGKILL);
    if (out_ >= 0) ::close(out_);
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  // The next line of stdout, or "" after `timeout_ms` or at the end.
  std::string read_line(int timeout_ms = 10000) {
    for (;;) {
      if (auto newline = pending_.find('\n'); newline != std::string::npos) {
        std::string line = pending_.substr(0, newline);
        pending_.erase(0, newline + 1);
        return line;
      }
      pollfd poll_fd{out_, POLLIN, 0};
      if (::poll(&poll_fd, 1, timeout_ms) <= 0) return "";
      char buffer[4096];
      ssize_t n = ::read(out_, buffer, sizeof buffer);
      if (n <= 0) return "";
      pending_.append(buffer, static_cast<std::size_t>(n));
    }
  }
  // Sends `signal` and waits; returns the exit code (128+signal when killed). Then kills what is
  // left of its process group: a worker that outlives its master (gunicorn's after a SIGKILL
  // notices only at its next 15 s wake-up) would hold the test's stdout, and ctest waits for it.
  int stop(int signal = SIGTERM) {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ::kill(-pid_, SIGKILL);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int exit_code_ = -1;
  std::string pending_;
};

}  // namespace reqtrace::testing
