// Watching the app's source file for a change, the way a reloader polls it: by its stat().
#pragma once

#include <sys/types.h>

#include <ctime>
#include <filesystem>

namespace reqtrace::server {

class AppFileWatch {
 public:
  AppFileWatch() = default;  // watches nothing: changed() is always false
  // Remembers how `file` looks now.
  explicit AppFileWatch(std::filesystem::path file);

  // Whether the file was written, replaced or removed since it was last looked at (by the
  // constructor or the last changed()); from then on it is the new look that counts. Its
  // modification time (to the nanosecond), size and inode are compared, as Werkzeug's
  // StatReloaderLoop compares mtimes; the inode catches an editor that saves by rename.
  bool changed();
  const std::filesystem::path& file() const { return file_; }
  bool watching() const { return !file_.empty(); }

 private:
  struct Look {
    timespec mtime{};
    off_t size = -1;
    ino_t inode = 0;
    bool operator==(const Look& other) const;
  };
  static Look look_at(const std::filesystem::path& file);

  std::filesystem::path file_;
  Look last_;
};

// Removes the cached bytecode of the module `file` (__pycache__/STEM.*.pyc), before it is imported
// again. Python trusts a .pyc whose recorded source mtime (whole seconds) and size match the
// file's: an edit saved within the same second as the last import, at the same size, would
// otherwise bring the old code back.
void forget_bytecode(const std::filesystem::path& file);

}  // namespace reqtrace::server
