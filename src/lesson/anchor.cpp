#include "lesson/anchor.hpp"

namespace reqtrace::lesson {

std::optional<std::size_t> find_anchor(const std::vector<trace::Event>& events,
                                       const scenario::Anchor& anchor) {
  const trace::Phase phase = trace::phase_from(anchor.phase);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const trace::Event& event = events[i];
    // The server's "listening" belongs to no request; it anchors to request 1's story.
    const bool same_request = event.req == anchor.req || (event.req == 0 && anchor.req == 1);
    if (event.phase == phase && same_request) return i;
  }
  return std::nullopt;
}

}  // namespace reqtrace::lesson
