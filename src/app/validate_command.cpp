#include <iostream>

#include "app/commands.hpp"
#include "app/data_dirs.hpp"
#include "app/exit_codes.hpp"
#include "sim/topology/load_scenario.hpp"

namespace reqtrace::app {

int validate_command(const Args& args) {
  if (args.empty()) {
    std::cerr << "reqtrace validate: expected one or more scenario files\n";
    return kBadInput;
  }
  int exit_code = kOk;
  for (const auto& arg : args) {
    if (arg.rfind('-', 0) == 0) {
      std::cerr << "reqtrace validate: unknown option " << arg
                << "; it takes only scenario files or names (reqtrace help validate)\n";
      return kBadInput;
    }
    std::string error;
    const auto path = find_scenario(arg, error);
    auto loaded = path ? topology::load_file(*path) : scenario::Loaded{};
    if (loaded) {
      std::cout << path->string() << ": ok\n";
      continue;
    }
    exit_code = kBadInput;
    if (!path) std::cerr << "reqtrace validate: " << error << "\n";
    for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
  }
  return exit_code;
}

}  // namespace reqtrace::app
