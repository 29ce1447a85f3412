// The steps of a growing trace at one detail level, with every tracked variable's history.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "lesson/steps.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// A row of the classic lesson's execution table: Step | Action | one column per tracked variable.
struct ExecutionRow {
  int number = 0;  // 1-based, as the table shows it
  std::size_t event = 0;
  std::string action;               // the event's message
  std::string narration;            // the scenario's words for this phase, if any
  std::vector<std::string> values;  // one per tracked variable, after the step
  std::vector<bool> changed;        // whether each value changed at this step
};

// The lesson's one model of a trace: what the execution table, the variable tracker, the
// narration and the quizzes read, in the window and in the terminal alike. Kept up to date as
// events arrive: update() looks only at the new events, and a value is found by binary search
// in its variable's history, so a row costs the same in a trace of ten events or of a million.
// A recorded trace is one update with all its events.
class Walkthrough {
 public:
  Walkthrough(std::vector<scenario::Tracked> track, int level);
  // A whole recorded trace, taken in at once.
  Walkthrough(std::vector<scenario::Tracked> track, int level,
              const std::vector<trace::Event>& events)
      : Walkthrough(std::move(track), level) {
    update(events);
  }

  // Takes in the events not seen yet; those already seen must not have changed.
  void update(const std::vector<trace::Event>& events);
  // Splits the same events at another detail level.
  void set_level(const std::vector<trace::Event>& events, int level);

  int level() const { return level_; }
  std::size_t event_count() const { return seen_; }
  const std::vector<Step>& steps() const { return steps_; }
  std::size_t step_count() const { return steps_.size(); }
  // The step covering event `index`, for keeping the place when the level changes.
  std::size_t step_of_event(std::size_t index) const { return step_covering(steps_, index); }

  std::size_t variable_count() const { return track_.size(); }
  const scenario::Tracked& variable(std::size_t var) const { return track_[var]; }
  const std::string& start(std::size_t var) const { return track_[var].start; }
  // The value once step `step` (0-based) and the finer events it covers are done.
  const std::string& value_after(std::size_t step, std::size_t var) const;
  const std::string& value_before(std::size_t step, std::size_t var) const;
  const std::string& final_value(std::size_t var) const;
  bool changed_at(std::size_t step, std::size_t var) const;
  bool anything_changed_at(std::size_t step) const;
  // How many different values `var` has had so far, its start among them.
  std::size_t value_count(std::size_t var) const { return values_seen_[var].size(); }

  // The steps at which any variable changed, in order: the tracker's columns.
  const std::vector<std::size_t>& changing_steps() const { return changing_steps_; }
  // The nearest step before / after `step` at which `var` changed.
  std::optional<std::size_t> previous_change(std::size_t var, std::size_t step) const;
  std::optional<std::size_t> next_change(std::size_t var, std::size_t step) const;

  // A row of the execution table, without its narration (the Narrator has the words).
  ExecutionRow row(const std::vector<trace::Event>& events, std::size_t step) const;

 private:
  struct Change {
    std::size_t event;
    std::string value;
  };
  // The last change of `var` at an event before `end`, or nullptr when none.
  const Change* last_change_before(std::size_t var, std::size_t end) const;
  void recheck_changing_from(std::size_t step);

  std::vector<scenario::Tracked> track_;
  int level_;
  std::size_t seen_ = 0;
  std::vector<Step> steps_;
  std::vector<std::vector<Change>> history_;  // per variable, by event; only real changes
  std::vector<std::unordered_set<std::string>> values_seen_;  // per variable
  std::vector<std::size_t> changing_steps_;
};

}  // namespace reqtrace::lesson
