// What the terminal shows of a run or a recording: the walkthrough, the execution table, the
// variable tracker.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <vector>

#include "lesson/narration.hpp"
#include "lesson/walkthrough.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::app {

// Each reads a walkthrough that has taken in the whole trace, `events`.
void print_execution_table(std::ostream& out, const lesson::Walkthrough& walkthrough,
                           const std::vector<trace::Event>& events);
// "Step 3 of 6  [server · calling_app · request 1]" and the step's action.
void print_step_head(std::ostream& out, const lesson::Walkthrough& walkthrough,
                     const std::vector<trace::Event>& events, std::size_t step);
// What the step changed, the narration and its key moments (`narration`, the Narrator's at the
// step).
void print_step_story(std::ostream& out, const lesson::Walkthrough& walkthrough,
                      const lesson::NarrationView& narration, std::size_t step);
// Rows are variables; columns Start, After each step that changed something, Final.
void print_variable_tracker(std::ostream& out, const lesson::Walkthrough& walkthrough);
// Step by step, with the scenario's narration and key moments, then both tables.
void print_walkthrough(std::ostream& out, const scenario::Scenario& scenario,
                       const std::vector<trace::Event>& events, int level);
// The steps as data, for --json.
nlohmann::json steps_json(const scenario::Scenario& scenario,
                          const std::vector<trace::Event>& events, int level);

}  // namespace reqtrace::app
