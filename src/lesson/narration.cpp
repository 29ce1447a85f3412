#include "lesson/narration.hpp"

namespace reqtrace::lesson {

Narrator::Narrator(const scenario::Scenario* scenario) : scenario_(scenario) {
  for (const scenario::KeyMoment& moment : scenario_->key_moments) moments_.add(moment.at);
}

const std::string& Narrator::words(trace::Phase phase) const {
  static const std::string kNone;
  const auto found = scenario_->narration.find(std::string(trace::name_of(phase)));
  return found == scenario_->narration.end() ? kNone : found->second;
}

NarrationView Narrator::at(const std::vector<trace::Event>& events, const std::vector<Step>& steps,
                           std::size_t step) const {
  NarrationView view;
  if (step >= steps.size()) return view;
  const trace::Event& event = events[steps[step].event];
  view.action = event.msg;
  view.words = words(event.phase);
  // Step 0 also covers whatever came before its own event.
  const std::size_t from = step == 0 ? 0 : steps[step].event;
  for (std::size_t m = 0; m < moments_.size(); ++m)
    if (const auto at = moments_.event(m); at && *at >= from && *at < steps[step].end)
      view.key_moments.push_back(&scenario_->key_moments[m]);
  view.last_step = step + 1 == steps.size();
  return view;
}

}  // namespace reqtrace::lesson
