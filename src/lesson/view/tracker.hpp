// The variable tracker at the current step: Start, After step k…, Final, and where each variable
// changes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lesson/walkthrough.hpp"

namespace reqtrace::lesson {

struct TrackerCell {
  std::string text;  // the value, or "·" where the variable did not change at that step
  bool changed = false;
  bool future = false;  // after the current step: the class has not got there yet
};

struct TrackerRow {
  std::string label;
  std::string start;
  std::vector<TrackerCell> cells;  // one per column
  TrackerCell final_value;
  std::optional<std::size_t> previous_change;  // steps to jump to, 0-based
  std::optional<std::size_t> next_change;
};

struct TrackerView {
  std::vector<std::size_t> columns;  // "After step k": the steps at which something changed
  std::optional<std::size_t> current_column;  // the latest column at or before the current step
  bool more_before = false;                   // columns left out to fit, before the first shown
  bool more_after = false;
  std::vector<TrackerRow> rows;
};

// At most `max_columns` change columns, chosen around the current step.
TrackerView tracker_view(const Walkthrough& walkthrough, std::size_t current_step,
                         std::size_t max_columns);

}  // namespace reqtrace::lesson
