#include <iostream>
#include <nlohmann/json.hpp>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/data_dirs.hpp"
#include "app/recording.hpp"
#include "app/text_report.hpp"

namespace reqtrace::app {

int replay_command(const Args& args) {
  std::string error;
  auto options = parse_options(args, {{"--json"}, {"--level"}}, error);
  if (!options || options->positional.size() != 1) {
    std::cerr << "reqtrace replay: " << (options ? "expected one trace file" : error) << "\n";
    return kBadInput;
  }
  const int level = level_option(options->value("--level"), error);
  if (level == 0) {
    std::cerr << "reqtrace replay: " << error << "\n";
    return kBadInput;
  }
  auto recording = load_trace_reporting(options->positional[0], std::cerr);
  if (!recording) return kBadInput;
  if (options->has("--json"))
    std::cout << steps_json(recording->scenario, recording->events, level).dump(2) << "\n";
  else
    print_walkthrough(std::cout, recording->scenario, recording->events, level);
  return kOk;
}

int walkthrough_command() {
  auto scenario = load_scenario_reporting(kDefaultScenario, std::cerr);
  if (!scenario) return kBadInput;
  RunOutcome outcome = run_scenario(*scenario, std::nullopt, std::cerr);
  if (!outcome.recording) return outcome.exit_code;
  print_walkthrough(std::cout, outcome.recording->scenario, outcome.recording->events, 1);
  return outcome.exit_code;
}

}  // namespace reqtrace::app
