// The steps a student walks through at a detail level, and which events each one covers.
#pragma once

#include <cstddef>
#include <vector>

#include "trace/event.hpp"

namespace reqtrace::lesson {

// A step is an event of the chosen level or coarser. It covers itself and the
// finer events that follow it, up to the next step, so nothing that happened
// is lost when the detail is lower: its variable changes still count.
struct Step {
  std::size_t event = 0;  // index of the step's own event
  std::size_t end = 0;    // one past the last event it covers
};

std::vector<Step> steps_at_level(const std::vector<trace::Event>& events, int level);

// Adds the steps that events [from, to) start at `level`; the last step then covers up to `to`.
// For a trace that grows: the events before `from` are split already.
void extend_steps(std::vector<Step>& steps, const std::vector<trace::Event>& events,
                  std::size_t from, std::size_t to, int level);

// The step covering event `index` at this split, for keeping the place when
// the level changes. Events before the first step belong to the first step.
std::size_t step_covering(const std::vector<Step>& steps, std::size_t index);

}  // namespace reqtrace::lesson
