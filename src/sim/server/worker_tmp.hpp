// gunicorn's WorkerTmp (workers/workertmp.py): the heartbeat a worker touches and its arbiter
// reads, an unlinked temporary file whose change time is the worker's last sign of life.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "sim/server/file_descriptor.hpp"

namespace reqtrace::server {

class WorkerTmp {
 public:
  // mkstemp() then unlink(), as WorkerTmp.__init__: only the open descriptor keeps the file, so
  // nothing is left behind. Made by the arbiter before the fork, so both ends hold it. nullopt
  // with `error` set when no temporary file could be made.
  static std::optional<WorkerTmp> create(std::string& error);

  // WorkerTmp.notify(): flips the file's mode between 0 and 1 with fchmod(), which sets its
  // change time to now: no data is written, only the inode changes.
  void notify();
  // How long ago the worker last notified: now minus the file's st_ctime (last_update()).
  std::chrono::nanoseconds silent_for() const;
  int fd() const { return fd_.get(); }
  void close() { fd_.reset(); }

 private:
  explicit WorkerTmp(FileDescriptor fd) : fd_(std::move(fd)) {}
  FileDescriptor fd_;
  int spinner_ = 0;
};

}  // namespace reqtrace::server
