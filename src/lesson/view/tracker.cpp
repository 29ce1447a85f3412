#include "lesson/view/tracker.hpp"

#include <algorithm>

namespace reqtrace::lesson {

TrackerView tracker_view(const Walkthrough& walkthrough, std::size_t current_step,
                         std::size_t max_columns) {
  TrackerView view;
  const auto& changing = walkthrough.changing_steps();
  const bool have_steps = walkthrough.step_count() > 0;
  // The window of columns: centred on the current step's latest change.
  const auto at_or_before = static_cast<std::size_t>(
      std::upper_bound(changing.begin(), changing.end(), current_step) - changing.begin());
  std::size_t first = 0, last = changing.size();
  if (max_columns > 0 && changing.size() > max_columns) {
    const std::size_t centre = at_or_before > 0 ? at_or_before - 1 : 0;
    first = centre > max_columns / 2 ? centre - max_columns / 2 : 0;
    first = std::min(first, changing.size() - max_columns);
    last = first + max_columns;
  }
  view.more_before = first > 0;
  view.more_after = last < changing.size();
  view.columns.assign(changing.begin() + static_cast<std::ptrdiff_t>(first),
                      changing.begin() + static_cast<std::ptrdiff_t>(last));
  if (at_or_before > first && at_or_before - 1 < last)
    view.current_column = at_or_before - 1 - first;

  for (std::size_t v = 0; v < walkthrough.variable_count(); ++v) {
    TrackerRow row;
    row.label = walkthrough.variable(v).label;
    row.start = walkthrough.start(v);
    for (std::size_t step : view.columns) {
      TrackerCell cell;
      cell.changed = walkthrough.changed_at(step, v);
      cell.text = cell.changed ? walkthrough.value_after(step, v) : "·";
      cell.future = step > current_step;
      row.cells.push_back(std::move(cell));
    }
    row.final_value.text = walkthrough.final_value(v);
    row.final_value.future = have_steps && current_step + 1 < walkthrough.step_count();
    if (have_steps) {
      row.previous_change = walkthrough.previous_change(v, current_step);
      row.next_change = walkthrough.next_change(v, current_step);
    }
    view.rows.push_back(std::move(row));
  }
  return view;
}

}  // namespace reqtrace::lesson
