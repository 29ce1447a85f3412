#include "app/command_table.hpp"

#include <algorithm>
#include <cctype>

#include "app/data_dirs.hpp"
#include "app/text_table.hpp"

namespace reqtrace::app {
namespace {

// Flags more than one command takes, written once.
constexpr FlagHelp kLevel{"--level", "N",
                          "detail: 1 overview, 2 server internals, 3 framework internals"};
constexpr FlagHelp kTrace{"--trace", "FILE", "also record the trace (JSON Lines)"};
constexpr FlagHelp kJson{"--json", "", "print the steps as JSON instead of text"};
constexpr FlagHelp kWsgi{"--wsgi", "FILE.py[:NAME]",
                         "serve this real Python WSGI app (a Flask app) instead of the scenario's"};
constexpr FlagHelp kRequest{"--request", "\"METHOD PATH [FORM]\"",
                            "send this instead of the scenario's requests (repeat for more)"};

constexpr std::string_view kScenarioNote =
    "SCENARIO is a file or the name of a shipped scenario, such as hello-wsgi (reqtrace list "
    "names them).";
constexpr std::string_view kTraceNote =
    "TRACE is a file recorded with --trace (JSON Lines); it brings its scenario along.";

std::string usage_line(const CommandHelp& command) {
  std::string line = "reqtrace " + std::string(command.name);
  if (!command.arguments.empty()) line += " " + std::string(command.arguments);
  return line;
}

// "--trace FILE"
std::string flag_cell(const FlagHelp& flag) {
  std::string cell(flag.name);
  if (!flag.value.empty()) cell += " " + std::string(flag.value);
  return cell;
}

// A paragraph folded at word boundaries to fit an 80-column terminal.
void print_wrapped(std::ostream& out, std::string_view text) {
  constexpr std::size_t kWidth = 80;
  std::size_t column = 0;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (column > 0 && column + 1 + word.size() > kWidth) {
      out << "\n";
      column = 0;
    } else if (column > 0) {
      out << ' ';
      ++column;
    }
    out << word;
    column += word.size();
  }
  out << "\n";
}

}  // namespace

const std::vector<CommandHelp>& command_table() {
  static const std::vector<CommandHelp> table = {
      {"gui",
       "[SCENARIO|TRACE]",
       "the viewer: a scenario runs live, a trace is replayed",
       "Opens the window a teacher projects. A scenario's real stack runs as the window opens "
       "(Live keeps it up for the class's browsers and curl); a trace is replayed. With --wsgi, "
       "your real Python app runs in it (in the your-app lesson when no SCENARIO is named). F1 "
       "in the window lists the keys.",
       {kLevel,
        {"--theme", "dark|light|contrast", "the colours"},
        {"--font-scale", "S", "text size, 1 to 3"},
        {"--port", "N", "the port Live listens on (0 = any)"},
        {"--step", "N", "with --screenshot: the step to render"},
        {"--screenshot", "OUT.png", "render off screen, save a PNG and exit"},
        {"--size", "WxH", "the screenshot's size, e.g. 1280x720"},
        {"--bench-frames", "N", "time N frames over a synthetic trace (with --events)"},
        {"--events", "M", "the synthetic trace's events, for --bench-frames"},
        kWsgi,
        kRequest},
       gui_command},
      {"run",
       "[SCENARIO]",
       "run it for real; print the execution table and variable tracker",
       "Brings the scenario's stack up on loopback, sends its requests, and prints the execution "
       "table, the variable tracker, the responses and their latency. A lesson that takes "
       "seconds shows its progress on stderr when stderr is a terminal. With --wsgi and no "
       "SCENARIO, the your-app lesson runs your app.",
       {kTrace,
        kJson,
        kLevel,
        kWsgi,
        kRequest,
        {"--progress", "", "show the progress on stderr even when it is not a terminal"}},
       run_command},
      {"serve",
       "[SCENARIO]",
       "keep the scenario's server up for curl and browsers",
       "Prints each overview step as outside clients send requests, until Ctrl+C. With --wsgi "
       "and no SCENARIO, it serves your app in the your-app lesson.",
       {kWsgi,
        {"--port", "N", "the port to listen on (0 = any)"},
        {"--host", "H", "the address to listen on (default 127.0.0.1)"},
        kTrace,
        {"--uwsgi-port", "N", "also speak uwsgi on port N, for nginx's uwsgi_pass (0 = any)"}},
       serve_command},
      {"replay",
       "TRACE|SCENARIO",
       "walk through a recorded trace (no server needed), or a fresh run",
       "Prints each step with what changed and the lesson's narration. Given a scenario instead "
       "of a trace, it runs the scenario first (as run does, without its tables) and walks "
       "through what that run recorded, as quiz does.",
       {kLevel, kJson},
       replay_command},
      {"quiz",
       "SCENARIO|TRACE",
       "the lesson's quizzes in the terminal; answers come from stdin",
       "Walks through the steps and asks each quiz at its point. Answer with a choice's number "
       "or type the value; h shows the hint, skip shows the answer.",
       {kLevel,
        {"--results", "FILE.json", "save the score and every answer"},
        {"--generated", "N", "also ask N questions made from the trace"},
        {"--seed", "S", "the seed for the made questions, to ask the same again"}},
       quiz_command},
      {"validate",
       "SCENARIO...",
       "check scenario files; print every problem",
       "Prints \"FILE: ok\" for each good file and every problem of the others, with its line, "
       "column and JSON pointer; exits 2 when any has a problem.",
       {},
       validate_command},
      {"list",
       "",
       "the shipped scenarios, with their titles and server models",
       "One line per scenario: its name, its server model (and the proxy in front), its title.",
       {},
       list_command},
      {"cgi",
       "SCENARIO",
       "the scenario's app as a CGI program (RFC 3875)",
       "Serves one request from the CGI variables in the environment and the body on stdin; the "
       "response goes to stdout. The cgi server model runs it; so can any web server that runs "
       "CGI programs.",
       {},
       cgi_command},
      {"help", "[COMMAND]", "this list, or a command's usage and flags", "", {}, help_command},
  };
  return table;
}

const CommandHelp* find_command(std::string_view name) {
  const auto& table = command_table();
  auto found = std::find_if(table.begin(), table.end(),
                            [name](const CommandHelp& command) { return command.name == name; });
  return found == table.end() ? nullptr : &*found;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& command : command_table()) names.emplace_back(command.name);
  return names;
}

OptionSpec options_of(std::string_view name) {
  OptionSpec spec;
  if (const CommandHelp* command = find_command(name))
    for (const auto& flag : command->flags)
      (flag.value.empty() ? spec.flags : spec.with_value).emplace(flag.name);
  return spec;
}

void print_overview(std::ostream& out) {
  out << "usage: reqtrace [COMMAND] [ARGS]\n\n";
  std::vector<std::vector<std::string>> rows = {
      {"reqtrace", "the viewer on " + std::string(kDefaultScenario) +
                       " (its text walkthrough with no display)"}};
  for (const auto& command : command_table())
    rows.push_back({usage_line(command), std::string(command.summary)});
  rows.push_back({"reqtrace --version", "the name and version"});
  print_columns(out, rows, 2);
  out << "\nreqtrace help COMMAND (or reqtrace COMMAND --help) shows a command's flags.\n";
  print_wrapped(out, kScenarioNote);
  print_wrapped(out, kTraceNote);
  out << "Exit codes: 0 ok, 1 the run failed, 2 bad input.\n";
}

void print_command_help(std::ostream& out, const CommandHelp& command) {
  out << "usage: " << usage_line(command) << (command.flags.empty() ? "" : " [OPTIONS]") << "\n\n";
  if (command.details.empty()) {
    std::string sentence(command.summary);
    sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
    print_wrapped(out, sentence + ".");
  } else {
    print_wrapped(out, command.details);
  }
  if (!command.flags.empty()) {
    out << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& flag : command.flags)
      rows.push_back({flag_cell(flag), std::string(flag.help)});
    print_columns(out, rows, 2);
  }
  const auto mentions = [&](std::string_view word) {
    return command.arguments.find(word) != std::string_view::npos;
  };
  if (mentions("SCENARIO") || mentions("TRACE")) out << "\n";
  if (mentions("SCENARIO")) print_wrapped(out, kScenarioNote);
  if (mentions("TRACE")) print_wrapped(out, kTraceNote);
}

}  // namespace reqtrace::app
