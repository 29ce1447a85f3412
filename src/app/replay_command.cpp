// reqtrace replay TRACE|SCENARIO: the text walkthrough of a recorded trace; given a scenario, of
// a run made for the purpose (as quiz does), so a lesson can be read without a trace at hand.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/command_line.hpp"
#include "app/command_table.hpp"
#include "app/data_dirs.hpp"
#include "app/recording.hpp"
#include "app/text_report.hpp"

namespace reqtrace::app {

int replay_command(const Args& args) {
  std::string error;
  auto options = parse_options(args, options_of("replay"), error);
  if (!options || options->positional.size() != 1) {
    std::cerr << "reqtrace replay: "
              << (options ? "expected one trace file or scenario (reqtrace help replay)" : error)
              << "\n";
    return kBadInput;
  }
  const int level = level_option(options->value("--level"), error);
  if (level == 0) {
    std::cerr << "reqtrace replay: " << error << "\n";
    return kBadInput;
  }
  RunOutcome outcome = read_or_run(options->positional[0], std::cerr);
  if (!outcome.recording) return outcome.exit_code;
  const Recording& recording = *outcome.recording;
  if (options->has("--json"))
    std::cout << steps_json(recording.scenario, recording.events, level).dump(2) << "\n";
  else
    print_walkthrough(std::cout, recording.scenario, recording.events, level);
  return outcome.exit_code;
}

int walkthrough_command() {
  return replay_command({kDefaultScenario});
}

}  // namespace reqtrace::app
