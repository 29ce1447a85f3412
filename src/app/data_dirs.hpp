// Finding the scenarios and assets that ship with reqtrace, from any working directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace reqtrace::app {

// Where the folder holding scenarios/ and assets/ may be, in the order they are tried:
// $REQTRACE_DATA, next to the executable once installed (../share/reqtrace), the install
// prefix, the source tree the build came from.
std::vector<std::filesystem::path> data_dir_candidates();

// The first of data_dir_candidates() that has a scenarios/ folder.
std::optional<std::filesystem::path> data_dir();

// data_dir()'s assets/ folder, where a proxy's static_root is found; empty when there is none.
std::filesystem::path assets_dir();

// Says that data_dir() found nothing, and where it looked.
std::string no_scenarios_folder();

// The shipped scenario files (data_dir()'s scenarios/*.json), sorted by name.
std::vector<std::filesystem::path> shipped_scenarios();

// A scenario argument as a user types it: a path, or a name such as "hello-wsgi" looked up
// in the shipped scenarios/. An unknown name is returned as typed.
std::filesystem::path resolve_scenario(const std::string& argument);

// resolve_scenario, or nullopt with `error` saying where the name was looked for and which
// shipped names are nearest. A path (it has a '/' or exists) is returned for the loader to open.
std::optional<std::filesystem::path> find_scenario(const std::string& argument, std::string& error);

inline constexpr const char* kDefaultScenario = "hello-wsgi";

}  // namespace reqtrace::app
