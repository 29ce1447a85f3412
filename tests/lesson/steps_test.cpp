#include <gtest/gtest.h>

#include "lesson/anchor.hpp"
#include "lesson/execution_table.hpp"
#include "lesson/steps.hpp"
#include "lesson/variable_fold.hpp"

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Event;
using trace::Phase;

Event make(Phase phase, int level, trace::Vars vars = {}, int req = 1) {
  Event event;
  event.actor = Actor::Server;
  event.phase = phase;
  event.level = level;
  event.req = req;
  event.msg = std::string(trace::name_of(phase));
  event.vars = std::move(vars);
  return event;
}

// The classic lesson's shape: level-1 steps with finer events between them.
std::vector<Event> classic_events() {
  return {
      make(Phase::Listening, 1, {{"server.state", "Listening for requests"}}, 0),
      make(Phase::Accept, 2, {}, 0),
      make(Phase::RequestReceived, 1, {{"server.state", "Request received"}}),
      make(Phase::CallingApp, 1, {{"server.state", "Processing request"}}),
      make(Phase::View, 3, {{"app.state", "Running home() route"}}),
      make(Phase::ResponseReady, 1,
           {{"server.state", "Waiting to send response"}, {"app.state", "Response ready"}}),
      make(Phase::Sent, 1,
           {{"server.state", "Idle, waiting for next request"}, {"response.sent", "Yes"}}),
      make(Phase::Close, 3, {{"app.state", "Idle"}}),
      make(Phase::Receive, 1),
  };
}

std::vector<scenario::Tracked> classic_track() {
  return {{"server.state", "WSGI Server State", "Idle"},
          {"app.state", "Flask App State", "Not called yet"},
          {"response.sent", "Response Sent", "No"}};
}

TEST(Steps, ALevelKeepsItsOwnAndCoarserEvents) {
  auto events = classic_events();
  EXPECT_EQ(steps_at_level(events, 1).size(), 6u);
  EXPECT_EQ(steps_at_level(events, 2).size(), 7u);
  EXPECT_EQ(steps_at_level(events, 3).size(), 9u);
  auto steps = steps_at_level(events, 1);
  EXPECT_EQ(steps[0].event, 0u);
  EXPECT_EQ(steps[0].end, 2u);  // covers the hidden accept
  EXPECT_EQ(steps[5].end, events.size());
  EXPECT_TRUE(steps_at_level({}, 1).empty());
}

TEST(Steps, StepCoveringFindsTheStepOfAHiddenEvent) {
  auto events = classic_events();
  auto steps = steps_at_level(events, 1);
  EXPECT_EQ(step_covering(steps, 4), 2u);  // the view runs inside "calls the app"
  EXPECT_EQ(step_covering(steps, 0), 0u);
  EXPECT_EQ(step_covering(steps, 8), 5u);
}

TEST(VariableFold, TheClassicTable) {
  auto events = classic_events();
  scenario::Scenario classic;
  classic.track = classic_track();
  auto table = build_execution_table(classic, events, 1);
  ASSERT_EQ(table.rows.size(), 6u);
  EXPECT_EQ(table.start, (std::vector<std::string>{"Idle", "Not called yet", "No"}));
  const std::vector<std::vector<std::string>> expected = {
      {"Listening for requests", "Not called yet", "No"},
      {"Request received", "Not called yet", "No"},
      {"Processing request", "Running home() route", "No"},
      {"Waiting to send response", "Response ready", "No"},
      {"Idle, waiting for next request", "Idle", "Yes"},
      {"Idle, waiting for next request", "Idle", "Yes"},
  };
  for (std::size_t r = 0; r < expected.size(); ++r)
    EXPECT_EQ(table.rows[r].values, expected[r]) << r;
  EXPECT_EQ(table.rows[4].changed, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(table.rows[5].changed, (std::vector<bool>{false, false, false}));
}

TEST(VariableFold, UntrackedVariablesAreIgnoredAndFinalIsTheLastValue) {
  auto events = classic_events();
  events[3].vars.emplace_back("not.tracked", "x");
  auto steps = steps_at_level(events, 3);
  VariableFold fold(classic_track(), events, steps);
  EXPECT_EQ(fold.final_value(0), "Idle, waiting for next request");
  EXPECT_EQ(fold.final_value(1), "Idle");
  VariableFold empty(classic_track(), {}, {});
  EXPECT_EQ(empty.final_value(2), "No");
}

TEST(Anchor, FindsThePhaseOfARequest) {
  auto events = classic_events();
  EXPECT_EQ(find_anchor(events, {"response_ready", 1}), 5u);
  EXPECT_EQ(find_anchor(events, {"listening", 1}), 0u);  // before any request: request 1's story
  EXPECT_EQ(find_anchor(events, {"response_ready", 2}), std::nullopt);
  EXPECT_EQ(find_anchor(events, {"no_such_phase", 1}), std::nullopt);
}

}  // namespace
}  // namespace reqtrace::lesson
