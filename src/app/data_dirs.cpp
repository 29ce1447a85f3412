#include "app/data_dirs.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "app/nearest_names.hpp"

namespace reqtrace::app {
namespace fs = std::filesystem;

namespace {

std::optional<fs::path> executable_dir() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  return self.parent_path();
}

bool is_path(const std::string& argument) {
  std::error_code ec;
  return fs::exists(argument, ec) || argument.find('/') != std::string::npos;
}

fs::path named_file(const fs::path& dir, const std::string& name) {
  fs::path named = dir / "scenarios" / name;
  if (named.extension() != ".json") named += ".json";
  return named;
}

}  // namespace

std::vector<fs::path> data_dir_candidates() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("REQTRACE_DATA"); env && *env) candidates.emplace_back(env);
  if (auto exe = executable_dir()) candidates.push_back(*exe / ".." / "share" / "reqtrace");
  candidates.emplace_back(REQTRACE_INSTALL_DATADIR);
  candidates.emplace_back(REQTRACE_SOURCE_DIR);
  return candidates;
}

std::optional<fs::path> data_dir() {
  for (const auto& candidate : data_dir_candidates()) {
    std::error_code ec;
    if (fs::is_directory(candidate / "scenarios", ec)) return fs::weakly_canonical(candidate, ec);
  }
  return std::nullopt;
}

fs::path assets_dir() {
  auto dir = data_dir();
  return dir ? *dir / "assets" : fs::path();
}

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> files;
  auto dir = data_dir();
  if (!dir) return files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(*dir / "scenarios", ec))
    if (entry.path().extension() == ".json" && entry.is_regular_file(ec))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

fs::path resolve_scenario(const std::string& argument) {
  std::string unused;
  return find_scenario(argument, unused).value_or(fs::path(argument));
}

std::string no_scenarios_folder() {
  std::string text = "no scenarios folder was found in";
  for (const auto& candidate : data_dir_candidates()) text += " " + candidate.string();
  return text + " (REQTRACE_DATA names the folder that holds scenarios/)";
}

std::optional<fs::path> find_scenario(const std::string& argument, std::string& error) {
  if (is_path(argument)) return argument;
  auto dir = data_dir();
  std::error_code ec;
  if (dir && fs::exists(named_file(*dir, argument), ec)) return named_file(*dir, argument);
  error = "no scenario \"" + argument + "\": there is no such file here";
  if (!dir) {
    error += ", and " + no_scenarios_folder();
    return std::nullopt;
  }
  error += ", nor " + named_file(*dir, argument).filename().string() + " in " +
           (*dir / "scenarios").string();
  std::vector<std::string> names;
  for (const auto& file : shipped_scenarios()) names.push_back(file.stem().string());
  error += did_you_mean(nearest_names(fs::path(argument).stem().string(), names)) +
           "; reqtrace list shows them all";
  return std::nullopt;
}

}  // namespace reqtrace::app
