// Finding the scenarios and assets that ship with reqtrace, from any working directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace reqtrace::app {

// The folder holding scenarios/ and assets/: $REQTRACE_DATA, then next to the
// executable once installed (../share/reqtrace), then the install prefix, then
// the source tree the build came from.
std::optional<std::filesystem::path> data_dir();

// data_dir()'s assets/ folder, where a proxy's static_root is found; empty when there is none.
std::filesystem::path assets_dir();

// A scenario argument as a user types it: a path, or a name such as
// "hello-wsgi" looked up in the shipped scenarios/.
std::filesystem::path resolve_scenario(const std::string& argument);

inline constexpr const char* kDefaultScenario = "hello-wsgi";

}  // namespace reqtrace::app
