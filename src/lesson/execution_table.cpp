#include "lesson/execution_table.hpp"

namespace reqtrace::lesson {

ExecutionTable build_execution_table(const scenario::Scenario& scenario,
                                     const std::vector<trace::Event>& events, int level) {
  ExecutionTable table;
  table.level = level;
  const auto steps = steps_at_level(events, level);
  const VariableFold fold(scenario.track, events, steps);
  for (std::size_t v = 0; v < fold.variable_count(); ++v) {
    table.labels.push_back(scenario.track[v].label);
    table.start.push_back(fold.start(v));
  }
  table.rows.reserve(steps.size());
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const trace::Event& event = events[steps[s].event];
    ExecutionRow row;
    row.number = static_cast<int>(s) + 1;
    row.event = steps[s].event;
    row.action = event.msg;
    if (auto found = scenario.narration.find(std::string(trace::name_of(event.phase)));
        found != scenario.narration.end())
      row.narration = found->second;
    for (std::size_t v = 0; v < fold.variable_count(); ++v) {
      row.values.push_back(fold.after(s, v));
      row.changed.push_back(fold.changed_at(s, v));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace reqtrace::lesson
