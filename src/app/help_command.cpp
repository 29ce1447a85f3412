// reqtrace help [COMMAND]: the commands, or one command's usage and flags, on stdout.
#include <iostream>

#include "app/command_table.hpp"
#include "app/exit_codes.hpp"
#include "app/nearest_names.hpp"

namespace reqtrace::app {

int help_command(const Args& args) {
  if (args.empty()) {
    print_overview(std::cout);
    return kOk;
  }
  if (args.size() > 1) {
    std::cerr << "reqtrace help: expected one command, got " << args.size() << "\n";
    return kBadInput;
  }
  const CommandHelp* command = find_command(args[0]);
  if (!command) {
    std::cerr << "reqtrace help: no command \"" << args[0] << "\""
              << did_you_mean(nearest_names(args[0], command_names()))
              << "; reqtrace help lists them\n";
    return kBadInput;
  }
  print_command_help(std::cout, *command);
  return kOk;
}

}  // namespace reqtrace::app
