// The subcommands of the reqtrace command line, one file each.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace reqtrace::app {

using Args = std::vector<std::string>;

int run_command(const Args& args);     // reqtrace run SCENARIO [--trace F] [--json] [--level N]
int serve_command(const Args& args);   // reqtrace serve SCENARIO [--port N] [--host H] [--trace F]
int replay_command(const Args& args);  // reqtrace replay TRACE|SCENARIO [--level N] [--json]
int validate_command(const Args& args);  // reqtrace validate SCENARIO...
int quiz_command(const Args& args);      // reqtrace quiz SCENARIO|TRACE [--level N] [--results F]
int cgi_command(const Args& args);       // reqtrace cgi SCENARIO: one request, as a CGI program
int list_command(const Args& args);      // reqtrace list: the shipped scenarios
int help_command(const Args& args);      // reqtrace help [COMMAND]
int walkthrough_command();  // plain `reqtrace`: the default scenario, run and walked through
int gui_command(const Args& args);  // reqtrace gui [SCENARIO|TRACE] [--step N --screenshot F] ...
int default_command();  // plain `reqtrace`: the viewer given a display, else the walkthrough

// "--level N" shared by the commands that show steps; 0 with a message when wrong.
int level_option(const std::optional<std::string>& text, std::string& error);

}  // namespace reqtrace::app
