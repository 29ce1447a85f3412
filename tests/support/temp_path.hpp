// Where a test writes a file of its own: the test temp folder, named by this process, since
// ctest runs tests side by side and another checkout's tests may run the same test at once.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace reqtrace::testing {

inline std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::path(::testing::TempDir()) /
         ("reqtrace-" + std::to_string(::getpid()) + "-" + name);
}

// Writes `source` to `name` in this process's folder `folder` (temp_path) and returns its path:
// an app file a test serves.
inline std::filesystem::path write_temp_file(const std::string& folder, const std::string& name,
                                             const std::string& source) {
  const auto where = temp_path(folder);
  std::filesystem::create_directories(where);
  std::ofstream(where / name) << source;
  return where / name;
}

}  // namespace reqtrace::testing
