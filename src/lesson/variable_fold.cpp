#include "lesson/variable_fold.hpp"

#include <unordered_map>

namespace reqtrace::lesson {

VariableFold::VariableFold(const std::vector<scenario::Tracked>& track,
                           const std::vector<trace::Event>& events,
                           const std::vector<Step>& steps) {
  std::unordered_map<std::string, std::size_t> index_of;
  for (const auto& tracked : track) {
    index_of.emplace(tracked.var, start_.size());
    start_.push_back(tracked.start);
  }
  std::vector<std::string> current = start_;
  std::size_t next_event = 0;
  after_.reserve(steps.size());
  for (const Step& step : steps) {
    for (; next_event < step.end; ++next_event)
      for (const auto& [name, value] : events[next_event].vars)
        if (auto found = index_of.find(name); found != index_of.end())
          current[found->second] = value;
    after_.push_back(current);
  }
}

const std::string& VariableFold::final_value(std::size_t var) const {
  return after_.empty() ? start_[var] : after_.back()[var];
}

bool VariableFold::changed_at(std::size_t step, std::size_t var) const {
  const std::string& before = step == 0 ? start_[var] : after_[step - 1][var];
  return after_[step][var] != before;
}

}  // namespace reqtrace::lesson
