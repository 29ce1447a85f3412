// Owning a file descriptor (a socket, a pipe's end, an open file): closed exactly once, by
// whoever holds it last.
#pragma once

#include <utility>

namespace reqtrace::server {

// Move-only, like std::unique_ptr: a descriptor has one owner, and leaving its scope by any path
// closes it. fork() is the one place two processes each hold a copy: each closes its own.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { reset(); }
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  explicit operator bool() const { return open(); }
  // Hands the descriptor over without closing it.
  int release() { return std::exchange(fd_, -1); }
  // Closes the one held (close() is async-signal-safe: a child between fork and exec may call
  // this) and holds `fd` instead.
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// pipe2(): bytes written to `write` come out of `read`. Both ends close-on-exec.
struct Pipe {
  FileDescriptor read;
  FileDescriptor write;
  // false, errno set, when the process is out of descriptors. With `above_stdio`, neither end is
  // 0, 1 or 2, so a child can dup2() them onto its stdin and stdout without one clobbering the
  // other, whatever the parent has open.
  bool open(bool above_stdio = false);
};

}  // namespace reqtrace::server
