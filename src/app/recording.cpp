#include "app/recording.hpp"

#include <algorithm>
#include <mutex>

#include "app/data_dirs.hpp"
#include "sim/topology/load_scenario.hpp"
#include "sim/topology/stack.hpp"
#include "trace/recorder.hpp"
#include "trace/trace_reader.hpp"
#include "trace/trace_writer.hpp"

namespace reqtrace::app {

std::optional<scenario::Scenario> load_scenario_reporting(const std::string& argument,
                                                          std::ostream& err) {
  std::string error;
  const auto path = find_scenario(argument, error);
  if (!path) {
    err << "reqtrace: " << error << "\n";
    return std::nullopt;
  }
  auto loaded = topology::load_file(*path);
  for (const auto& problem : loaded.problems) err << problem.to_string() << "\n";
  return std::move(loaded.scenario);
}

std::optional<Recording> load_trace_reporting(const std::filesystem::path& path,
                                              std::ostream& err) {
  auto loaded = trace::read_trace(path);
  for (const auto& warning : loaded.warnings) err << "warning: " << warning << "\n";
  for (const auto& error : loaded.errors) err << error << "\n";
  if (!loaded) return std::nullopt;
  auto embedded =
      topology::load_json(loaded.trace->scenario, path.string() + " (embedded scenario)");
  for (const auto& problem : embedded.problems) err << problem.to_string() << "\n";
  if (!embedded) return std::nullopt;
  return Recording{std::move(*embedded.scenario), std::move(loaded.trace->events), {}};
}

RunOutcome run_scenario(const scenario::Scenario& scenario,
                        const std::optional<std::filesystem::path>& trace_path, std::ostream& err,
                        ShowProgress show) {
  trace::Recorder recorder;
  std::unique_ptr<trace::TraceWriter> writer;
  if (trace_path) {
    std::string error;
    writer = trace::TraceWriter::open(*trace_path, scenario.source, error);
    if (!writer) {
      err << error << "\n";
      return {std::nullopt, kBadInput};
    }
  }
  Recording recording{scenario, {}, {}};
  bool write_failed = false;
  // Sinks run one flush at a time, so they need no lock of their own.
  recorder.add_sink([&](const std::vector<trace::Event>& batch) {
    recording.events.insert(recording.events.end(), batch.begin(), batch.end());
    if (writer && !write_failed && !writer->write(batch)) {
      write_failed = true;
      err << writer->error() << "\n";
    }
  });
  RunProgress progress(scenario, err, show);
  recorder.add_sink([&progress](const std::vector<trace::Event>& batch) { progress.watch(batch); });
  // A slow request's events reach the file while it is still running.
  recorder.start_background_flush(std::chrono::milliseconds(50));

  std::string error;
  topology::Listen listen;
  listen.assets = assets_dir();
  auto stack = topology::Stack::start(scenario, &recorder, listen, error);
  if (!stack) {
    recorder.stop_background_flush();
    recorder.flush();
    progress.finish();
    err << "reqtrace: cannot start " << scenario.id << ": " << error << "\n";
    return {std::nullopt, kRunFailed};
  }
  recording.exchanges = topology::send_requests(scenario, stack->front_door(), &recorder);
  stack->stop();
  recorder.stop_background_flush();
  recorder.flush();
  progress.finish();
  // Events relayed from worker processes may land after later ones were flushed.
  std::stable_sort(recording.events.begin(), recording.events.end(),
                   [](const trace::Event& a, const trace::Event& b) { return a.seq < b.seq; });

  int exit_code = write_failed ? kRunFailed : kOk;
  for (const auto& exchange : recording.exchanges)
    if (!exchange.response.ok) {
      err << "reqtrace: request " << exchange.req << " (" << exchange.request.method << " "
          << exchange.request.path << ", " << exchange.lane
          << ") got no response: " << exchange.response.error << "\n";
      exit_code = kRunFailed;
    }
  return {std::move(recording), exit_code};
}

bool is_trace_argument(const std::string& argument) {
  const std::filesystem::path path(argument);
  return path.extension() == ".jsonl" || trace::looks_like_trace(path);
}

RunOutcome read_or_run(const std::string& argument, std::ostream& err) {
  if (is_trace_argument(argument)) {
    auto recording = load_trace_reporting(argument, err);
    const int exit_code = recording ? kOk : kBadInput;
    return {std::move(recording), exit_code};
  }
  auto scenario = load_scenario_reporting(argument, err);
  if (!scenario) return {std::nullopt, kBadInput};
  return run_scenario(*scenario, std::nullopt, err);
}

}  // namespace reqtrace::app
