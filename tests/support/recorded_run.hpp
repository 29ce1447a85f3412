// A scenario run for real in a test: its stack up on loopback, its requests sent, and every
// event it recorded.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/topology/send_requests.hpp"
#include "sim/topology/stack.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::testing {

struct RecordedRun {
  std::vector<trace::Event> events;  // in seq order
  std::vector<topology::Exchange> exchanges;
};

inline RecordedRun run_scenario(const scenario::Scenario& scenario) {
  RecordedRun out;
  trace::Recorder recorder;
  recorder.add_sink([&out](const std::vector<trace::Event>& batch) {
    out.events.insert(out.events.end(), batch.begin(), batch.end());
  });
  std::string error;
  auto stack = topology::Stack::start(scenario, &recorder, {}, error);
  EXPECT_TRUE(stack) << error;
  if (!stack) return out;
  out.exchanges = topology::send_requests(scenario, stack->front_door(), &recorder);
  stack->stop();
  recorder.flush();
  return out;
}

}  // namespace reqtrace::testing
