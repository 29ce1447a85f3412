#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/command_table.hpp"
#include "app/latency_report.hpp"
#include "app/recording.hpp"
#include "app/text_report.hpp"
#include "app/text_table.hpp"
#include "app/your_app.hpp"

namespace reqtrace::app {

int level_option(const std::optional<std::string>& text, std::string& error) {
  if (!text) return 1;
  return parse_int("--level", *text, 1, 3, error).value_or(0);
}

namespace {

// "GET /report", and for a subresource what linked to it: "GET /app.css (stylesheet of req 1)".
std::string request_cell(const topology::Exchange& exchange) {
  std::string text = exchange.request.method + " " + exchange.request.path;
  if (exchange.page_req != 0)
    text += " (" + exchange.kind + " of req " + std::to_string(exchange.page_req) + ")";
  return text;
}

// The body as one line of text: runs of whitespace become one space, and a body that is not
// text (an image) is described instead of printed.
std::string body_cell(const client::Response& response) {
  const std::string& body = response.body;
  const bool printable = std::all_of(body.begin(), body.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 || byte == '\n' || byte == '\r' || byte == '\t';
  });
  const std::string type = response.header("Content-Type");
  const bool textual =
      type.empty() || type.rfind("text/", 0) == 0 || type.find("json") != std::string::npos ||
      type.find("javascript") != std::string::npos || type.find("xml") != std::string::npos;
  if (!printable || !textual)
    return "(" + std::to_string(body.size()) + " bytes" + (type.empty() ? "" : " of " + type) + ")";
  std::string line;
  for (char c : body) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (!space)
      line += c;
    else if (!line.empty() && line.back() != ' ')
      line += ' ';
  }
  if (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

void print_exchanges(std::ostream& out, const std::vector<topology::Exchange>& exchanges) {
  out << "Responses\n\n";
  // The lane only matters when there is more than one: a crowd, or a page's extra connections.
  bool one_lane = true;
  for (const auto& exchange : exchanges) one_lane &= exchange.lane == exchanges.front().lane;
  std::vector<std::string> header = {"Req", "Request", "Status", "Body", "Latency"};
  if (!one_lane) header.insert(header.begin() + 1, "Client");
  TextTable table(header);
  table.limit_column(one_lane ? 3 : 4, 48);
  for (const auto& exchange : exchanges) {
    const auto& response = exchange.response;
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.1f ms", response.latency_ms);
    std::vector<std::string> row = {std::to_string(exchange.req), request_cell(exchange),
                                    response.ok
                                        ? std::to_string(response.status) + " " + response.reason
                                        : "no response: " + response.error,
                                    body_cell(response), latency};
    if (!one_lane) row.insert(row.begin() + 1, exchange.lane);
    table.add_row(std::move(row));
  }
  table.print(out);
}

}  // namespace

int run_command(const Args& args) {
  std::string error;
  auto options = parse_options(args, options_of("run"), error);
  if (!options) {
    std::cerr << "reqtrace run: " << error << "\n";
    return kBadInput;
  }
  const int level = level_option(options->value("--level"), error);
  if (level == 0) {
    std::cerr << "reqtrace run: " << error << "\n";
    return kBadInput;
  }
  auto scenario = lesson_from_options(*options, "run", std::cerr);
  if (!scenario) return kBadInput;
  std::optional<std::filesystem::path> trace_path;
  if (auto path = options->value("--trace")) trace_path = *path;

  RunOutcome outcome =
      run_scenario(*scenario, trace_path, std::cerr,
                   options->has("--progress") ? ShowProgress::Always : ShowProgress::OnTerminal);
  if (!outcome.recording) return outcome.exit_code;
  const Recording& recording = *outcome.recording;
  if (options->has("--json")) {
    nlohmann::json out = steps_json(recording.scenario, recording.events, level);
    out["responses"] = nlohmann::json::array();
    for (const auto& exchange : recording.exchanges)
      out["responses"].push_back({{"req", exchange.req},
                                  {"method", exchange.request.method},
                                  {"path", exchange.request.path},
                                  {"client", exchange.lane},
                                  {"kind", exchange.kind},
                                  {"page_req", exchange.page_req},
                                  {"entry", exchange.entry},
                                  {"ok", exchange.response.ok},
                                  {"status", exchange.response.status},
                                  {"body", exchange.response.body},
                                  {"latency_ms", exchange.response.latency_ms}});
    out["latency"] = latency_json(latency_groups(recording.scenario, recording.exchanges));
    // A body may be binary (an image): shown with U+FFFD rather than refused.
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return outcome.exit_code;
  }
  std::cout << recording.scenario.title << "\n\n";
  const lesson::Walkthrough walkthrough(recording.scenario.track, level, recording.events);
  print_execution_table(std::cout, walkthrough, recording.events);
  std::cout << "\n";
  print_variable_tracker(std::cout, walkthrough);
  std::cout << "\n";
  print_exchanges(std::cout, recording.exchanges);
  std::cout << "\n";
  print_latency(std::cout, latency_groups(recording.scenario, recording.exchanges));
  if (trace_path) std::cout << "\nTrace written to " << trace_path->string() << "\n";
  return outcome.exit_code;
}

}  // namespace reqtrace::app
