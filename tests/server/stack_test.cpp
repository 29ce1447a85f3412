// The whole first lesson for real: hello-wsgi's stack on loopback, and the table it yields.
#include "sim/topology/stack.hpp"

#include <gtest/gtest.h>

#include "lesson/walkthrough.hpp"
#include "scenario/load.hpp"
#include "sim/topology/send_requests.hpp"
#include "support/classic_trace.hpp"
#include "support/recorded_run.hpp"

namespace reqtrace::topology {
namespace {

scenario::Scenario load(const std::string& name) {
  auto loaded = scenario::load_file(std::string(REQTRACE_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(loaded) << (loaded.problems.empty() ? "" : loaded.problems[0].to_string());
  return *loaded.scenario;
}

using testing::RecordedRun;
using testing::run_scenario;

TEST(HelloWsgi, SixStepsWithTheClassicValues) {
  const auto scenario = load("hello-wsgi.json");
  // Run it several times: the order of the overview must not depend on luck.
  for (int attempt = 0; attempt < 5; ++attempt) {
    RecordedRun result = run_scenario(scenario);
    ASSERT_EQ(result.exchanges.size(), 1u);
    EXPECT_EQ(result.exchanges[0].response.status, 200);
    EXPECT_EQ(result.exchanges[0].response.body, "Hello from Flask!");
    const lesson::Walkthrough table(scenario.track, 1, result.events);
    ASSERT_EQ(table.step_count(), 6u);
    std::vector<trace::Phase> phases;
    for (const auto& step : table.steps()) phases.push_back(result.events[step.event].phase);
    EXPECT_EQ(phases,
              (std::vector<trace::Phase>{trace::Phase::Listening, trace::Phase::RequestReceived,
                                         trace::Phase::CallingApp, trace::Phase::ResponseReady,
                                         trace::Phase::Sent, trace::Phase::Receive}));
    const auto expected = lesson::classic_table();
    for (std::size_t r = 0; r < expected.size(); ++r)
      EXPECT_EQ(table.row(result.events, r).values, expected[r]) << "step " << r + 1;
    EXPECT_EQ(table.row(result.events, 3).action, "App returns 'Hello from Flask!'");
    EXPECT_EQ((std::vector<std::string>{table.start(0), table.start(1), table.start(2)}),
              (std::vector<std::string>{"Idle", "Not called yet", "No"}));
  }
}

TEST(HelloWsgi, HigherLevelsShowTheParserEnvironAndFlaskCallChain) {
  const auto scenario = load("hello-wsgi.json");
  RecordedRun result = run_scenario(scenario);
  auto phases_at = [&](int level) {
    std::vector<std::string> names;
    for (const auto& step : lesson::steps_at_level(result.events, level))
      names.emplace_back(trace::name_of(result.events[step.event].phase));
    return names;
  };
  auto contains = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  const auto level2 = phases_at(2), level3 = phases_at(3);
  for (const char* phase : {"request_line", "headers", "environ_built", "start_response"}) {
    EXPECT_TRUE(contains(level2, phase)) << phase;
    EXPECT_FALSE(contains(phases_at(1), phase)) << phase;
  }
  for (const char* phase : {"call", "dispatch", "match", "view", "view_return", "make_response"}) {
    EXPECT_TRUE(contains(level3, phase)) << phase;
    EXPECT_FALSE(contains(level2, phase)) << phase;
  }
}

}  // namespace
}  // namespace reqtrace::topology
