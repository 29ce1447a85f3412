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
    if (arg.rfind("-", 0) == 0) {
      std::cerr << "reqtrace validate: unknown option " << arg << "; expected scenario files\n";
      return kBadInput;
    }
    const auto path = resolve_scenario(arg);
    auto loaded = topology::load_file(path);
    if (loaded) {
      std::cout << path.string() << ": ok\n";
      continue;
    }
    exit_code = kBadInput;
    for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
  }
  return exit_code;
}

}  // namespace reqtrace::app
