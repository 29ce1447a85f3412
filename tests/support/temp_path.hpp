// Where a test writes a file of its own: the test temp folder, named by this process, since
// ctest runs tests side by side and another checkout's tests may run the same test at once.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace reqtrace::testing {

inline std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::path(::testing::TempDir()) /
         ("reqtrace-" + std::to_string(::getpid()) + "-" + name);
}

}  // namespace reqtrace::testing
