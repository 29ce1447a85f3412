#include "lesson/narration.hpp"

namespace reqtrace::lesson {

Narrator::Narrator(const scenario::Scenario* scenario) : scenario_(scenario) {
  for (const scenario::KeyMoment& moment : scenario_->key_moments) moments_.add(moment.at);
}

namespace {

// "2xx" for the status the app gave start_response for request `req`; empty until the trace has it.
std::string status_class(const std::vector<trace::Event>& events, int req) {
  if (req == 0) return "";
  for (const trace::Event& event : events)
    if (const auto status = event.var("response.status"); event.req == req && status &&
                                                          !status->empty() && (*status)[0] >= '1' &&
                                                          (*status)[0] <= '5')
      return std::string(1, (*status)[0]) + "xx";
  return "";
}

// The text for the status class when there is one for it, else the text for the rest.
const std::string* pick(const scenario::NarrationText& words, const std::string& status) {
  if (const auto found = words.by_status.find(status); found != words.by_status.end())
    return &found->second;
  return words.text.empty() ? nullptr : &words.text;
}

}  // namespace

const std::string& Narrator::words(const std::vector<trace::Event>& events,
                                   std::size_t event) const {
  static const std::string kNone;
  if (event >= events.size()) return kNone;
  const trace::Event& said = events[event];
  const auto found = scenario_->narration.find(std::string(trace::name_of(said.phase)));
  if (found == scenario_->narration.end()) return kNone;
  const scenario::Narration& narration = found->second;
  // The status is only looked for when some text depends on it.
  bool by_status = !narration.any.by_status.empty();
  for (const auto& [actor, words] : narration.by_actor)
    by_status = by_status || !words.by_status.empty();
  const std::string status = by_status ? status_class(events, said.req) : "";
  if (const auto own = narration.by_actor.find(said.actor); own != narration.by_actor.end())
    if (const std::string* text = pick(own->second, status)) return *text;
  const std::string* text = pick(narration.any, status);
  return text ? *text : kNone;
}

NarrationView Narrator::at(const std::vector<trace::Event>& events, const std::vector<Step>& steps,
                           std::size_t step) const {
  NarrationView view;
  if (step >= steps.size()) return view;
  const trace::Event& event = events[steps[step].event];
  view.action = event.msg;
  view.words = words(events, steps[step].event);
  // Step 0 also covers whatever came before its own event.
  const std::size_t from = step == 0 ? 0 : steps[step].event;
  for (std::size_t m = 0; m < moments_.size(); ++m)
    if (const auto at = moments_.event(m); at && *at >= from && *at < steps[step].end)
      view.key_moments.push_back(&scenario_->key_moments[m]);
  view.last_step = step + 1 == steps.size();
  return view;
}

}  // namespace reqtrace::lesson
