// reqtrace cgi SCENARIO: the scenario's app as a CGI program (RFC 3875), one request per run, the
// way the cgi server model starts it, or any web server that runs CGI programs.
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/recording.hpp"
#include "sim/cgi/cgi_handler.hpp"
#include "sim/server/child_events.hpp"
#include "sim/topology/scenario_app.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::app {
namespace {

constexpr std::size_t kMaxBody = 64u << 20;  // more than any server model lets through

std::map<std::string, std::string> environment_variables() {
  std::map<std::string, std::string> variables;
  for (char** entry = ::environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string_view::npos)
      variables.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return variables;
}

// A whole number, or nullopt.
std::optional<std::size_t> whole_number(std::string_view text) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The body: CONTENT_LENGTH bytes of stdin, and never more (RFC 3875 4.2).
std::optional<std::string> read_body(std::size_t length) {
  std::string body(length, '\0');
  std::size_t done = 0;
  while (done < length) {
    const ssize_t n = ::read(0, body.data() + done, length - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    done += static_cast<std::size_t>(n);
  }
  return body;
}

bool write_stdout(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(1, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

int cgi_command(const Args& args) {
  std::string error;
  auto options = parse_options(args, {}, error);
  if (!options || options->positional.size() != 1) {
    std::cerr << "reqtrace cgi: "
              << (options ? "expected one scenario (a file or a name such as hello-wsgi)" : error)
              << "\n";
    return kBadInput;
  }
  const auto variables = environment_variables();
  if (!variables.count("REQUEST_METHOD")) {
    std::cerr << "reqtrace cgi: REQUEST_METHOD is not set; expected the CGI meta-variables of "
                 "RFC 3875 in the environment, as a web server sets them when it runs a CGI "
                 "program (and the request body, if any, on stdin)\n";
    return kBadInput;
  }
  std::size_t length = 0;
  if (auto text = variables.find("CONTENT_LENGTH");
      text != variables.end() && !text->second.empty()) {
    auto parsed = whole_number(text->second);
    if (!parsed || *parsed > kMaxBody) {
      std::cerr << "reqtrace cgi: CONTENT_LENGTH is \"" << text->second
                << "\"; expected a whole number of bytes up to " << kMaxBody << "\n";
      return kBadInput;
    }
    length = *parsed;
  }
  auto scenario = load_scenario_reporting(options->positional[0], std::cerr);
  if (!scenario) return kBadInput;

  // Started by reqtrace's cgi server, the program continues the server's trace: its clock,
  // its seq counter (a memfd), and a pipe for its events, all named in the environment.
  // Started by any other web server, it records nothing and is a plain CGI program.
  std::string problem;
  server::InheritedTrace inherited = server::recorder_from_environment(problem);
  if (!problem.empty()) std::cerr << "reqtrace cgi: not tracing: " << problem << "\n";
  trace::Recorder* recorder = inherited.recorder.get();
  if (recorder) recorder->start_background_flush(std::chrono::milliseconds(10));
  int req = 0;
  if (auto text = variables.find(server::kRequestVariable); text != variables.end())
    req = static_cast<int>(whole_number(text->second).value_or(0));

  const std::string lane = "worker-" + std::to_string(::getpid());
  trace::Emitter(recorder, trace::Actor::Worker, lane)(
      trace::Phase::Boot, req, trace::kServerInternals,
      "The CGI program starts (pid " + std::to_string(::getpid()) +
          "): it loads the scenario and builds the app from nothing, for one request");
  int code = kOk;
  try {
    std::string app_problem;
    const auto make_app = topology::app_factory(*scenario, app_problem);
    if (!make_app) throw std::runtime_error(app_problem);
    auto app = (*make_app)(trace::Emitter(recorder, trace::Actor::App, "app"));
    auto body = read_body(length);
    if (!body) {
      std::cerr << "reqtrace cgi: stdin ended before the " << length
                << " bytes CONTENT_LENGTH promised\n";
      code = kBadInput;
    } else {
      auto environ = wsgi::environ_from_cgi(variables, std::move(*body), req);
      wsgi::run_cgi_app(*app, environ, trace::Emitter(recorder, trace::Actor::Server, lane), req,
                        write_stdout);
    }
  } catch (const std::exception& e) {
    std::cerr << "reqtrace cgi: " << e.what() << "\n";
    code = kRunFailed;
  }
  server::finish_child_events(recorder);
  return code;
}

}  // namespace reqtrace::app
