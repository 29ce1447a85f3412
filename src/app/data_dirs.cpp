#include "app/data_dirs.hpp"

#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace reqtrace::app {
namespace fs = std::filesystem;

namespace {

std::optional<fs::path> executable_dir() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  return self.parent_path();
}

}  // namespace

std::optional<fs::path> data_dir() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("REQTRACE_DATA"); env && *env) candidates.emplace_back(env);
  if (auto exe = executable_dir()) candidates.push_back(*exe / ".." / "share" / "reqtrace");
  candidates.emplace_back(REQTRACE_INSTALL_DATADIR);
  candidates.emplace_back(REQTRACE_SOURCE_DIR);
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (fs::is_directory(candidate / "scenarios", ec)) return fs::weakly_canonical(candidate, ec);
  }
  return std::nullopt;
}

fs::path assets_dir() {
  auto dir = data_dir();
  return dir ? *dir / "assets" : fs::path();
}

fs::path resolve_scenario(const std::string& argument) {
  std::error_code ec;
  if (fs::exists(argument, ec) || argument.find('/') != std::string::npos) return argument;
  if (auto dir = data_dir()) {
    fs::path named = *dir / "scenarios" / argument;
    if (named.extension() != ".json") named += ".json";
    if (fs::exists(named, ec)) return named;
  }
  return argument;  // the loader names it in its "cannot open" message
}

}  // namespace reqtrace::app
