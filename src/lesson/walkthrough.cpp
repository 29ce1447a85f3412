#include "lesson/walkthrough.hpp"

#include <algorithm>

namespace reqtrace::lesson {

Walkthrough::Walkthrough(std::vector<scenario::Tracked> track, int level)
    : track_(std::move(track)),
      level_(level),
      history_(track_.size()),
      values_seen_(track_.size()) {
  for (std::size_t v = 0; v < track_.size(); ++v) values_seen_[v].insert(track_[v].start);
}

void Walkthrough::update(const std::vector<trace::Event>& events) {
  if (events.size() <= seen_) return;
  // The last step may grow to cover the new finer events, so its "changed" may change.
  const std::size_t first_dirty = steps_.empty() ? 0 : steps_.size() - 1;
  for (std::size_t i = seen_; i < events.size(); ++i)
    for (const auto& [name, value] : events[i].vars)
      for (std::size_t v = 0; v < track_.size(); ++v) {
        if (track_[v].var != name) continue;
        auto& changes = history_[v];
        const std::string& current = changes.empty() ? track_[v].start : changes.back().value;
        if (value == current) continue;
        changes.push_back({i, value});
        values_seen_[v].insert(value);
      }
  extend_steps(steps_, events, seen_, events.size(), level_);
  seen_ = events.size();
  recheck_changing_from(first_dirty);
}

void Walkthrough::set_level(const std::vector<trace::Event>& events, int level) {
  level_ = level;
  steps_.clear();
  extend_steps(steps_, events, 0, seen_, level_);
  changing_steps_.clear();
  recheck_changing_from(0);
  update(events);
}

void Walkthrough::recheck_changing_from(std::size_t step) {
  while (!changing_steps_.empty() && changing_steps_.back() >= step) changing_steps_.pop_back();
  for (std::size_t s = step; s < steps_.size(); ++s)
    if (anything_changed_at(s)) changing_steps_.push_back(s);
}

const Walkthrough::Change* Walkthrough::last_change_before(std::size_t var, std::size_t end) const {
  const auto& changes = history_[var];
  auto after = std::partition_point(changes.begin(), changes.end(),
                                    [end](const Change& change) { return change.event < end; });
  return after == changes.begin() ? nullptr : &*(after - 1);
}

const std::string& Walkthrough::value_after(std::size_t step, std::size_t var) const {
  const Change* change = last_change_before(var, steps_[step].end);
  return change ? change->value : track_[var].start;
}

const std::string& Walkthrough::value_before(std::size_t step, std::size_t var) const {
  return step == 0 ? track_[var].start : value_after(step - 1, var);
}

const std::string& Walkthrough::final_value(std::size_t var) const {
  return history_[var].empty() ? track_[var].start : history_[var].back().value;
}

bool Walkthrough::changed_at(std::size_t step, std::size_t var) const {
  return value_after(step, var) != value_before(step, var);
}

bool Walkthrough::anything_changed_at(std::size_t step) const {
  for (std::size_t v = 0; v < track_.size(); ++v)
    if (changed_at(step, v)) return true;
  return false;
}

std::optional<std::size_t> Walkthrough::previous_change(std::size_t var, std::size_t step) const {
  if (step == 0 || steps_.empty()) return std::nullopt;
  const auto& changes = history_[var];
  // Changes in steps before this one are those at events before the step's own event,
  // except that step 0 also covers the events before it.
  auto it = std::partition_point(changes.begin(), changes.end(), [&](const Change& change) {
    return change.event < steps_[step].event;
  });
  while (it != changes.begin()) {
    --it;
    const std::size_t at = step_covering(steps_, it->event);
    if (at < step && changed_at(at, var)) return at;
  }
  return std::nullopt;
}

std::optional<std::size_t> Walkthrough::next_change(std::size_t var, std::size_t step) const {
  if (step + 1 >= steps_.size()) return std::nullopt;
  const auto& changes = history_[var];
  auto it = std::partition_point(changes.begin(), changes.end(), [&](const Change& change) {
    return change.event < steps_[step].end;
  });
  for (; it != changes.end(); ++it) {
    const std::size_t at = step_covering(steps_, it->event);
    if (at > step && changed_at(at, var)) return at;
  }
  return std::nullopt;
}

ExecutionRow Walkthrough::row(const std::vector<trace::Event>& events, std::size_t step) const {
  const trace::Event& event = events[steps_[step].event];
  ExecutionRow row;
  row.number = static_cast<int>(step) + 1;
  row.event = steps_[step].event;
  row.action = event.msg;
  for (std::size_t v = 0; v < track_.size(); ++v) {
    row.values.push_back(value_after(step, v));
    row.changed.push_back(changed_at(step, v));
  }
  return row;
}

}  // namespace reqtrace::lesson
