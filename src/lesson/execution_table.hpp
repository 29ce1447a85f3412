// The execution table of the classic lesson: Step | Action | one column per tracked variable.
#pragma once

#include <string>
#include <vector>

#include "lesson/steps.hpp"
#include "lesson/variable_fold.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

struct ExecutionRow {
  int number = 0;  // 1-based, as the table shows it
  std::size_t event = 0;
  std::string action;               // the event's message
  std::string narration;            // the scenario's words for this phase, if any
  std::vector<std::string> values;  // one per tracked variable, after the step
  std::vector<bool> changed;        // whether each value changed at this step
};

struct ExecutionTable {
  int level = 1;
  std::vector<std::string> labels;  // the tracked variables' labels, in column order
  std::vector<std::string> start;   // their values before step 1
  std::vector<ExecutionRow> rows;
};

ExecutionTable build_execution_table(const scenario::Scenario& scenario,
                                     const std::vector<trace::Event>& events, int level);

}  // namespace reqtrace::lesson
