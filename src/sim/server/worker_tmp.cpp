#include "sim/server/worker_tmp.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace reqtrace::server {

std::optional<WorkerTmp> WorkerTmp::create(std::string& error) {
  // tempfile.mkstemp(prefix="wgunicorn-", dir=worker_tmp_dir): $TMPDIR, else /tmp.
  const char* folder = std::getenv("TMPDIR");
  std::string name = std::string(folder && *folder ? folder : "/tmp") + "/wreqtrace-XXXXXX";
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    error = "worker tmp file in " + name + ": " + std::strerror(errno);
    return std::nullopt;
  }
  ::unlink(name.c_str());
  return WorkerTmp(FileDescriptor(fd));
}

void WorkerTmp::notify() {
  spinner_ = (spinner_ + 1) % 2;
  ::fchmod(fd_.get(), static_cast<mode_t>(spinner_));
}

std::chrono::nanoseconds WorkerTmp::silent_for() const {
  struct stat status {};
  if (::fstat(fd_.get(), &status) != 0) return std::chrono::nanoseconds(0);
  // st_ctime is wall-clock time, as time.time() that gunicorn subtracts it from.
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const auto ns = [](const timespec& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
  };
  return ns(now) - ns(status.st_ctim);
}

}  // namespace reqtrace::server
