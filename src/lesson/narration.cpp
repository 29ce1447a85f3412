#include "lesson/narration.hpp"

namespace reqtrace::lesson {

void Narrator::update(const std::vector<trace::Event>& events) {
  const auto& moments = scenario_->key_moments;
  found_.resize(moments.size());
  for (std::size_t i = seen_; i < events.size(); ++i) {
    const trace::Event& event = events[i];
    for (std::size_t m = 0; m < moments.size(); ++m) {
      if (found_[m]) continue;
      // As find_anchor: the server's "listening" belongs to no request but to request 1's story.
      const bool same_request =
          event.req == moments[m].at.req || (event.req == 0 && moments[m].at.req == 1);
      if (same_request && trace::name_of(event.phase) == moments[m].at.phase) found_[m] = i;
    }
  }
  seen_ = events.size();
}

NarrationView Narrator::at(const std::vector<trace::Event>& events, const std::vector<Step>& steps,
                           std::size_t step) const {
  NarrationView view;
  if (step >= steps.size()) return view;
  const trace::Event& event = events[steps[step].event];
  view.action = event.msg;
  if (auto words = scenario_->narration.find(std::string(trace::name_of(event.phase)));
      words != scenario_->narration.end())
    view.words = words->second;
  // Step 0 also covers whatever came before its own event.
  const std::size_t from = step == 0 ? 0 : steps[step].event;
  for (std::size_t m = 0; m < found_.size(); ++m)
    if (found_[m] && *found_[m] >= from && *found_[m] < steps[step].end)
      view.key_moments.push_back(&scenario_->key_moments[m]);
  view.last_step = step + 1 == steps.size();
  return view;
}

}  // namespace reqtrace::lesson
