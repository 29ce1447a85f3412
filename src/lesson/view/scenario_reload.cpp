#include "lesson/view/scenario_reload.hpp"

#include <nlohmann/json.hpp>

namespace reqtrace::lesson {

bool FileWatch::poll(const FileStamp& now) {
  const bool settled = now == last_;
  last_ = now;
  if (!settled || now == loaded_ || !now.exists) return false;
  loaded_ = now;
  return true;
}

bool needs_new_run(const scenario::Scenario& before, const scenario::Scenario& after) {
  // Compared as written, so that any edit to the stack's part counts, even one the model keeps
  // no field for.
  for (const char* key : {"topology", "app", "requests"}) {
    const auto* was =
        before.source.is_object() && before.source.contains(key) ? &before.source.at(key) : nullptr;
    const auto* is =
        after.source.is_object() && after.source.contains(key) ? &after.source.at(key) : nullptr;
    if ((was == nullptr) != (is == nullptr) || (was && *was != *is)) return true;
  }
  return false;
}

std::size_t keep_place(const std::vector<trace::Event>& old_events, std::size_t old_event,
                       const std::vector<trace::Event>& new_events,
                       const std::vector<Step>& new_steps) {
  if (new_steps.empty()) return 0;
  if (old_event < old_events.size()) {
    const trace::Event& shown = old_events[old_event];
    std::size_t nth = 0;  // how many events of this phase and request came before it
    for (std::size_t i = 0; i < old_event; ++i)
      if (old_events[i].phase == shown.phase && old_events[i].req == shown.req) ++nth;
    for (std::size_t i = 0; i < new_events.size(); ++i) {
      const trace::Event& event = new_events[i];
      if (event.phase != shown.phase || event.req != shown.req) continue;
      if (nth-- == 0) return step_covering(new_steps, i);
    }
  }
  return std::min(step_covering(new_steps, old_event), new_steps.size() - 1);
}

}  // namespace reqtrace::lesson
