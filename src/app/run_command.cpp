#include <iostream>
#include <nlohmann/json.hpp>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/recording.hpp"
#include "app/text_report.hpp"
#include "app/text_table.hpp"

namespace reqtrace::app {

int level_option(const std::optional<std::string>& text, std::string& error) {
  if (!text) return 1;
  return parse_int("--level", *text, 1, 3, error).value_or(0);
}

namespace {

void print_exchanges(std::ostream& out, const std::vector<topology::Exchange>& exchanges) {
  out << "Responses\n\n";
  TextTable table({"Req", "Request", "Status", "Body", "Latency"});
  table.limit_column(3, 48);
  for (const auto& exchange : exchanges) {
    const auto& response = exchange.response;
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.1f ms", response.latency_ms);
    table.add_row({std::to_string(exchange.req),
                   exchange.request.method + " " + exchange.request.path,
                   response.ok ? std::to_string(response.status) + " " + response.reason
                               : "no response: " + response.error,
                   response.body, latency});
  }
  table.print(out);
}

}  // namespace

int run_command(const Args& args) {
  std::string error;
  auto options = parse_options(args, {{"--json"}, {"--trace", "--level"}}, error);
  if (!options || options->positional.size() != 1) {
    std::cerr << "reqtrace run: "
              << (options ? "expected one scenario (a file or a name such as hello-wsgi)" : error)
              << "\n";
    return kBadInput;
  }
  const int level = level_option(options->value("--level"), error);
  if (level == 0) {
    std::cerr << "reqtrace run: " << error << "\n";
    return kBadInput;
  }
  auto scenario = load_scenario_reporting(options->positional[0], std::cerr);
  if (!scenario) return kBadInput;
  std::optional<std::filesystem::path> trace_path;
  if (auto path = options->value("--trace")) trace_path = *path;

  RunOutcome outcome = run_scenario(*scenario, trace_path, std::cerr);
  if (!outcome.recording) return outcome.exit_code;
  const Recording& recording = *outcome.recording;
  if (options->has("--json")) {
    nlohmann::json out = steps_json(recording.scenario, recording.events, level);
    out["responses"] = nlohmann::json::array();
    for (const auto& exchange : recording.exchanges)
      out["responses"].push_back({{"req", exchange.req},
                                  {"method", exchange.request.method},
                                  {"path", exchange.request.path},
                                  {"ok", exchange.response.ok},
                                  {"status", exchange.response.status},
                                  {"body", exchange.response.body},
                                  {"latency_ms", exchange.response.latency_ms}});
    std::cout << out.dump(2) << "\n";
    return outcome.exit_code;
  }
  std::cout << recording.scenario.title << "\n\n";
  const auto table = lesson::build_execution_table(recording.scenario, recording.events, level);
  print_execution_table(std::cout, table);
  std::cout << "\n";
  print_variable_tracker(std::cout, table);
  std::cout << "\n";
  print_exchanges(std::cout, recording.exchanges);
  if (trace_path) std::cout << "\nTrace written to " << trace_path->string() << "\n";
  return outcome.exit_code;
}

}  // namespace reqtrace::app
