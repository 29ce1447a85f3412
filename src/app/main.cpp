// reqtrace: watch a web request travel from the browser through a WSGI server into a Flask-style
// app and back.
#include <unistd.h>

#include <iostream>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"

namespace {

constexpr const char* kUsage = R"(usage: reqtrace [COMMAND] [ARGS]

  reqtrace                      the viewer on the default scenario; with no display, the
                                text walkthrough (REQTRACE_NO_GUI=1 asks for the text)
  reqtrace gui [SCENARIO|TRACE] the viewer: a scenario runs live, a trace is replayed
      --level N  --theme dark|light|contrast  --font-scale S (1 to 3)  --port N (for Live)
      --step N --screenshot OUT.png [--size WxH]   render step N, save a PNG, exit
      --bench-frames N --events M                  time N frames over a synthetic trace
  reqtrace run SCENARIO         run it for real; print the execution table and variable tracker
      --trace FILE              also record the trace (JSON Lines)
      --json                    print the steps as JSON instead of tables
      --level N                 detail: 1 overview, 2 server internals, 3 framework internals
  reqtrace serve SCENARIO       keep the scenario's server up for curl and browsers
      --port N (0 = any)  --host H (default 127.0.0.1)  --trace FILE
      --uwsgi-port N            also speak uwsgi on port N, for nginx's uwsgi_pass (0 = any)
  reqtrace replay TRACE         walk through a recorded trace, no server needed
      --level N  --json
  reqtrace validate SCENARIO... check scenario files; print every problem
  reqtrace quiz SCENARIO|TRACE  the lesson's quizzes in the terminal; answers come from stdin
      --level N  --results FILE.json (save the score)  --generated N  --seed S
  reqtrace cgi SCENARIO         the scenario's app as a CGI program: one request from the CGI
                                variables and stdin, the response on stdout (the cgi model runs it)

SCENARIO is a file or the name of a shipped scenario, such as hello-wsgi.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace reqtrace::app;
  Args args(argv + 1, argv + argc);
  if (args.empty()) return default_command();
  const std::string command = args.front();
  const Args rest(args.begin() + 1, args.end());
  if (command == "gui") return gui_command(rest);
  if (command == "run") return run_command(rest);
  if (command == "serve") return serve_command(rest);
  if (command == "replay") return replay_command(rest);
  if (command == "validate") return validate_command(rest);
  if (command == "quiz") return quiz_command(rest);
  if (command == "cgi") return cgi_command(rest);
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kUsage;
    return kOk;
  }
  std::cerr << "reqtrace: unknown command \"" << command
            << "\"; expected gui, run, serve, replay, quiz, validate or cgi\n\n"
            << kUsage;
  return kBadInput;
}
