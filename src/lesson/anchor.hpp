// Finding where a quiz or key moment sits: the first event of a phase within a request.
#pragma once

#include <optional>
#include <vector>

#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// The index of the first event with the anchor's phase and request, if it happened.
std::optional<std::size_t> find_anchor(const std::vector<trace::Event>& events,
                                       const scenario::Anchor& anchor);

}  // namespace reqtrace::lesson
