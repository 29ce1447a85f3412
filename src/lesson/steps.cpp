#include "lesson/steps.hpp"

#include <algorithm>

namespace reqtrace::lesson {

std::vector<Step> steps_at_level(const std::vector<trace::Event>& events, int level) {
  std::vector<Step> steps;
  extend_steps(steps, events, 0, events.size(), level);
  return steps;
}

void extend_steps(std::vector<Step>& steps, const std::vector<trace::Event>& events,
                  std::size_t from, std::size_t to, int level) {
  for (std::size_t i = from; i < to; ++i) {
    if (events[i].level > level) continue;
    if (!steps.empty()) steps.back().end = i;
    steps.push_back({i, to});
  }
  if (!steps.empty()) steps.back().end = to;
}

std::size_t step_covering(const std::vector<Step>& steps, std::size_t index) {
  auto after = std::upper_bound(steps.begin(), steps.end(), index,
                                [](std::size_t i, const Step& step) { return i < step.event; });
  return after == steps.begin() ? 0 : static_cast<std::size_t>(after - steps.begin()) - 1;
}

}  // namespace reqtrace::lesson
