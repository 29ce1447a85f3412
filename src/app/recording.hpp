// Getting a lesson's material: a scenario run for real, or a recorded trace read back.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/exit_codes.hpp"
#include "scenario/scenario.hpp"
#include "sim/topology/send_requests.hpp"
#include "trace/event.hpp"

namespace reqtrace::app {

struct Recording {
  scenario::Scenario scenario;
  std::vector<trace::Event> events;
  std::vector<topology::Exchange> exchanges;  // empty for a replayed trace
};

// Loads a scenario named or pathed by the user; prints every problem to `err`.
std::optional<scenario::Scenario> load_scenario_reporting(const std::string& argument,
                                                          std::ostream& err);

// Reads a trace file and its embedded scenario; prints every problem to `err`.
std::optional<Recording> load_trace_reporting(const std::filesystem::path& path, std::ostream& err);

// A run's recording, when the stack came up, and the exit code it earned.
struct RunOutcome {
  std::optional<Recording> recording;
  int exit_code = kOk;
};

// Brings the scenario's stack up on loopback, sends its requests, brings it
// down. With `trace_path`, events are written as they are flushed.
RunOutcome run_scenario(const scenario::Scenario& scenario,
                        const std::optional<std::filesystem::path>& trace_path, std::ostream& err);

}  // namespace reqtrace::app
