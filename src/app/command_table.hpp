// The commands reqtrace knows, with their arguments and flags: one table that main dispatches
// from, that each command's options are parsed against, and that help is printed from.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/command_line.hpp"
#include "app/commands.hpp"

namespace reqtrace::app {

struct FlagHelp {
  std::string_view name;   // "--trace"
  std::string_view value;  // what follows it, "FILE"; empty for a flag that takes none
  std::string_view help;   // one line
};

struct CommandHelp {
  std::string_view name;       // "run"
  std::string_view arguments;  // "SCENARIO"
  std::string_view summary;    // one line, for `reqtrace help`
  std::string_view details;    // a paragraph for `reqtrace help run`; may be empty
  std::vector<FlagHelp> flags;
  int (*run)(const Args&) = nullptr;
};

const std::vector<CommandHelp>& command_table();

// nullptr when there is no such command.
const CommandHelp* find_command(std::string_view name);

std::vector<std::string> command_names();

// The flags `name` accepts, for parse_options; a command missing from the table accepts none.
OptionSpec options_of(std::string_view name);

// `reqtrace help`: every command on one line.
void print_overview(std::ostream& out);

// `reqtrace help run` and `reqtrace run --help`: its usage, what it does, and its flags.
void print_command_help(std::ostream& out, const CommandHelp& command);

}  // namespace reqtrace::app
