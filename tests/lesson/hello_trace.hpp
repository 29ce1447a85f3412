// A real run of hello-wsgi, recorded once (tests/ui/data): the same bytes every time the tests run.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "scenario/load.hpp"
#include "trace/trace_reader.hpp"

namespace reqtrace::lesson {

struct Recorded {
  scenario::Scenario scenario;
  std::vector<trace::Event> events;
};

inline const Recorded& hello() {
  static const Recorded recorded = [] {
    auto loaded = trace::read_trace(REQTRACE_LESSON_TEST_DATA "/hello-wsgi.jsonl");
    EXPECT_TRUE(loaded) << (loaded.errors.empty() ? "" : loaded.errors[0]);
    auto scenario = scenario::load_json(loaded.trace->scenario, "hello-wsgi.jsonl");
    EXPECT_TRUE(scenario);
    return Recorded{std::move(*scenario.scenario), std::move(loaded.trace->events)};
  }();
  return recorded;
}

}  // namespace reqtrace::lesson
