// Getting a lesson's material: a scenario run for real, or a recorded trace read back.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/exit_codes.hpp"
#include "app/run_progress.hpp"
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
// down. With `trace_path`, events are written as they are flushed. `err` is stderr: the
// progress goes there too.
RunOutcome run_scenario(const scenario::Scenario& scenario,
                        const std::optional<std::filesystem::path>& trace_path, std::ostream& err,
                        ShowProgress show = ShowProgress::OnTerminal);

// True when the argument names a trace file rather than a scenario: its first line says so,
// or it ends in .jsonl (and the reader then says what is wrong with it).
bool is_trace_argument(const std::string& argument);

// What replay, quiz and the walkthrough walk through: the trace read back, when the argument
// is one, or else the scenario (a file or a shipped name) run for real. A trace that does not
// load is bad input (exit 2).
RunOutcome read_or_run(const std::string& argument, std::ostream& err);

}  // namespace reqtrace::app
