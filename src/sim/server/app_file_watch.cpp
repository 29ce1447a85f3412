#include "sim/server/app_file_watch.hpp"

#include <sys/stat.h>

namespace reqtrace::server {

AppFileWatch::AppFileWatch(std::filesystem::path file)
    : file_(std::move(file)), last_(look_at(file_)) {}

bool AppFileWatch::Look::operator==(const Look& other) const {
  return mtime.tv_sec == other.mtime.tv_sec && mtime.tv_nsec == other.mtime.tv_nsec &&
         size == other.size && inode == other.inode;
}

AppFileWatch::Look AppFileWatch::look_at(const std::filesystem::path& file) {
  struct stat status {};
  if (::stat(file.c_str(), &status) != 0) return {};  // gone: a look of its own
  return {status.st_mtim, status.st_size, status.st_ino};
}

bool AppFileWatch::changed() {
  if (file_.empty()) return false;
  const Look now = look_at(file_);
  if (now == last_) return false;
  last_ = now;
  return true;
}

void forget_bytecode(const std::filesystem::path& file) {
  std::error_code ignored;
  const std::string prefix = file.stem().string() + ".";
  for (const auto& entry :
       std::filesystem::directory_iterator(file.parent_path() / "__pycache__", ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".pyc")
      std::filesystem::remove(entry.path(), ignored);
  }
}

}  // namespace reqtrace::server
