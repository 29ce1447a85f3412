// reqtrace: watch a web request travel from the browser through a WSGI server into a Flask-style
// app and back.
#include <iostream>

#include "app/command_table.hpp"
#include "app/data_dirs.hpp"
#include "app/exit_codes.hpp"
#include "app/nearest_names.hpp"

namespace {

using namespace reqtrace::app;

bool asks_for_help(const Args& args) {
  for (const auto& arg : args)
    if (arg == "--help" || arg == "-h") return true;
  return false;
}

int unknown_command(const std::string& name) {
  if (name.rfind('-', 0) == 0) {
    std::cerr << "reqtrace: unknown option " << name
              << did_you_mean(nearest_names(name, {"--help", "--version"}))
              << "; reqtrace help lists the commands\n";
    return kBadInput;
  }
  if (std::string ignored; find_scenario(name, ignored)) {
    std::cerr << "reqtrace: \"" << name << "\" is a scenario, not a command; try reqtrace run "
              << name << " or reqtrace gui " << name << "\n";
    return kBadInput;
  }
  std::cerr << "reqtrace: unknown command \"" << name << "\""
            << did_you_mean(nearest_names(name, command_names())) << "; the commands are";
  for (const auto& command : command_table()) std::cerr << " " << command.name;
  std::cerr << " (reqtrace help describes them)\n";
  return kBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args(argv + 1, argv + argc);
  if (args.empty()) return default_command();
  const std::string& name = args.front();
  if (name == "--version") {
    std::cout << "reqtrace " << REQTRACE_VERSION << "\n";
    return kOk;
  }
  if (name == "-h" || name == "--help") return help_command({});
  const CommandHelp* command = find_command(name);
  if (!command) return unknown_command(name);
  const Args rest(args.begin() + 1, args.end());
  if (asks_for_help(rest)) {
    print_command_help(std::cout, *command);
    return kOk;
  }
  return command->run(rest);
}
