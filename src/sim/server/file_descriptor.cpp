#include "sim/server/file_descriptor.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace reqtrace::server {

void FileDescriptor::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

bool Pipe::open(bool above_stdio) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  read.reset(fds[0]);
  write.reset(fds[1]);
  if (!above_stdio) return true;
  for (FileDescriptor* end : {&read, &write}) {
    if (end->get() > 2) continue;
    const int moved = ::fcntl(end->get(), F_DUPFD_CLOEXEC, 3);
    end->reset(moved);
    if (moved < 0) {
      read.reset();
      write.reset();
      return false;
    }
  }
  return true;
}

}  // namespace reqtrace::server
