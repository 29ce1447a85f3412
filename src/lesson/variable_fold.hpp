// The variable tracker: each tracked variable's value from Start, after every step, to Final.
#pragma once

#include <string>
#include <vector>

#include "lesson/steps.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// The fold of the events' variable changes, sampled at the end of each step.
class VariableFold {
 public:
  VariableFold(const std::vector<scenario::Tracked>& track, const std::vector<trace::Event>& events,
               const std::vector<Step>& steps);

  std::size_t variable_count() const { return start_.size(); }
  std::size_t step_count() const { return after_.size(); }
  const std::string& start(std::size_t var) const { return start_[var]; }
  // The value once step `step` (0-based) and the finer events it covers are done.
  const std::string& after(std::size_t step, std::size_t var) const { return after_[step][var]; }
  const std::string& final_value(std::size_t var) const;
  // Whether the value differs from the one before this step.
  bool changed_at(std::size_t step, std::size_t var) const;

 private:
  std::vector<std::string> start_;
  std::vector<std::vector<std::string>> after_;
};

}  // namespace reqtrace::lesson
