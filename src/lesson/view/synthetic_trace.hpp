// A made-up but realistic busy trace of any size, for the viewer's bench and its tests.
#pragma once

#include <cstddef>
#include <vector>

#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// About `event_count` events of overlapping requests served by `workers`
// worker lanes, in seq order, with the phases, levels and variable changes a
// real pre-fork run has. Deterministic: the same arguments give the same trace.
std::vector<trace::Event> synthetic_trace(std::size_t event_count, int workers = 4);

// The scenario such a trace claims to come from: its tracked variables and narration.
scenario::Scenario synthetic_scenario(int workers = 4);

}  // namespace reqtrace::lesson
