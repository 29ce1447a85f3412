// The walkthrough: the steps of a trace and every tracked variable's value at each, kept up to
// date as events arrive. Checked against a fold written out plainly, on a real run.
#include "lesson/walkthrough.hpp"

#include <gtest/gtest.h>

#include "hello_trace.hpp"
#include "support/classic_trace.hpp"

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Event;
using trace::Phase;

// Each variable's value once step `step` and the finer events it covers are done, folded from
// the first event: slow and plain, for checking the walkthrough.
std::vector<std::string> folded_after(const std::vector<scenario::Tracked>& track,
                                      const std::vector<Event>& events,
                                      const std::vector<Step>& steps, std::size_t step) {
  std::vector<std::string> values;
  values.reserve(track.size());
  for (const auto& tracked : track) values.push_back(tracked.start);
  for (std::size_t i = 0; i < steps[step].end; ++i)
    for (const auto& [name, value] : events[i].vars)
      for (std::size_t v = 0; v < track.size(); ++v)
        if (track[v].var == name) values[v] = value;
  return values;
}

void expect_same_rows(const Walkthrough& a, const Walkthrough& b,
                      const std::vector<Event>& events) {
  ASSERT_EQ(a.step_count(), b.step_count());
  EXPECT_EQ(a.changing_steps(), b.changing_steps());
  for (std::size_t s = 0; s < a.step_count(); ++s) {
    const ExecutionRow one = a.row(events, s), other = b.row(events, s);
    EXPECT_EQ(one.event, other.event) << "step " << s;
    EXPECT_EQ(one.values, other.values) << "step " << s;
    EXPECT_EQ(one.changed, other.changed) << "step " << s;
  }
}

TEST(Walkthrough, TheClassicTable) {
  const auto events = classic_events();
  const Walkthrough walkthrough(classic_track(), 1, events);
  ASSERT_EQ(walkthrough.step_count(), 6u);
  EXPECT_EQ(walkthrough.start(1), "Not called yet");
  const auto expected = classic_table();
  for (std::size_t s = 0; s < expected.size(); ++s) {
    const ExecutionRow row = walkthrough.row(events, s);
    EXPECT_EQ(row.number, static_cast<int>(s) + 1);
    EXPECT_EQ(row.action, events[row.event].msg);
    EXPECT_EQ(row.values, expected[s]) << s;
  }
  EXPECT_EQ(walkthrough.row(events, 4).changed, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(walkthrough.row(events, 5).changed, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(walkthrough.value_before(0, 0), "Idle");
  EXPECT_EQ(walkthrough.value_before(3, 1), "Running home() route");
}

// One request's app events in Flask 2.2's order, with the app.state each sets, between the
// server's level-1 "calling_app" and "response_ready". `routing` is "" for a request that
// reaches its view, or the routing exception push() stored ("MethodNotAllowed").
std::vector<Event> flask_request(const std::string& routing) {
  std::vector<Event> events = {
      make(Phase::Listening, 1, {{"server.state", "Listening for requests"}}, 0),
      make(Phase::RequestReceived, 1, {{"server.state", "Request received"}}),
      make(Phase::CallingApp, 1, {{"server.state", "Processing request"}}),
      make(Phase::Call, 3, {{"app.state", "Flask.__call__ running"}}),
      make(Phase::PushContext, 3, {{"app.state", "Pushing the request context"}}),
      make(Phase::Match, 3, {{"app.state", "Matching the URL"}}),
      make(Phase::FullDispatch, 3, {{"app.state", "full_dispatch_request running"}}),
      make(Phase::Preprocess, 3, {{"app.state", "preprocess_request running"}})};
  if (routing.empty()) {
    events.push_back(make(Phase::Dispatch, 3, {{"app.state", "dispatch_request running"}}));
    events.push_back(make(Phase::View, 3, {{"app.state", "Running home() route"}}));
    events.push_back(make(Phase::ViewReturn, 3));
  } else {
    events.push_back(make(Phase::Dispatch, 3, {{"app.state", routing + ": no view runs"}}));
  }
  for (Phase phase : {Phase::MakeResponse, Phase::ProcessResponse})
    events.push_back(make(phase, 3));
  events.push_back(make(Phase::StartResponse, 2));
  events.push_back(make(Phase::Teardown, 3));
  events.push_back(
      make(Phase::ResponseReady, 1,
           {{"server.state", "Waiting to send response"}, {"app.state", "Response ready"}}));
  return events;
}

TEST(Walkthrough, FlasksStepsFoldIntoTheServerCallingTheApp) {
  const auto events = flask_request("");
  // Level 1 and 2: "Server calls the app" reads the view, as the classic table always did.
  for (int level : {1, 2}) {
    const Walkthrough walkthrough(classic_track(), level, events);
    EXPECT_EQ(walkthrough.value_after(2, 1), "Running home() route") << "level " << level;
  }
  // Level 3: each of Flask's steps shows where the app is.
  const Walkthrough detailed(classic_track(), 3, events);
  ASSERT_EQ(detailed.step_count(), events.size());
  EXPECT_EQ(detailed.value_after(2, 1), "Not called yet");  // the server has called: not yet in
  EXPECT_EQ(detailed.value_after(3, 1), "Flask.__call__ running");
  EXPECT_EQ(detailed.value_after(5, 1), "Matching the URL");
  EXPECT_EQ(detailed.value_after(9, 1), "Running home() route");
  EXPECT_EQ(detailed.value_after(14, 1), "Running home() route");  // teardown
}

TEST(Walkthrough, ARoutingErrorShowsTheAppRanAndNoViewDid) {
  const auto events = flask_request("MethodNotAllowed");
  for (int level : {1, 2}) {
    const Walkthrough walkthrough(classic_track(), level, events);
    EXPECT_EQ(walkthrough.value_after(2, 1), "MethodNotAllowed: no view runs") << level;
  }
  const Walkthrough detailed(classic_track(), 3, events);
  EXPECT_EQ(detailed.value_after(8, 1), "MethodNotAllowed: no view runs");  // dispatch
  EXPECT_EQ(detailed.value_after(detailed.step_count() - 1, 1), "Response ready");
}

TEST(Walkthrough, UntrackedVariablesAreIgnoredAndFinalIsTheLastValue) {
  auto events = classic_events();
  events[3].vars.emplace_back("not.tracked", "x");
  const Walkthrough walkthrough(classic_track(), 3, events);
  EXPECT_EQ(walkthrough.final_value(0), "Idle, waiting for next request");
  EXPECT_EQ(walkthrough.final_value(1), "Idle");
  EXPECT_EQ(walkthrough.value_count(1), 4u);  // Not called yet, Running, Response ready, Idle
  const Walkthrough empty(classic_track(), 1, {});
  EXPECT_EQ(empty.final_value(2), "No");
  EXPECT_EQ(empty.step_count(), 0u);
}

TEST(Walkthrough, AgreesWithAPlainFoldAtEveryLevel) {
  const auto& [scenario, events] = hello();
  for (int level = 1; level <= 3; ++level) {
    SCOPED_TRACE("level " + std::to_string(level));
    const Walkthrough walkthrough(scenario.track, level, events);
    const auto steps = steps_at_level(events, level);
    ASSERT_EQ(walkthrough.step_count(), steps.size());
    std::vector<std::string> before;
    for (const auto& tracked : scenario.track) before.push_back(tracked.start);
    for (std::size_t s = 0; s < steps.size(); ++s) {
      const auto after = folded_after(scenario.track, events, steps, s);
      const ExecutionRow row = walkthrough.row(events, s);
      EXPECT_EQ(row.event, steps[s].event);
      EXPECT_EQ(row.values, after) << "step " << s;
      for (std::size_t v = 0; v < after.size(); ++v)
        EXPECT_EQ(row.changed[v], after[v] != before[v]) << "step " << s << " var " << v;
      before = after;
    }
  }
}

TEST(Walkthrough, GrowingOneEventAtATimeGivesTheSameTable) {
  const auto& [scenario, events] = hello();
  for (int level = 1; level <= 3; ++level) {
    SCOPED_TRACE("level " + std::to_string(level));
    const Walkthrough whole(scenario.track, level, events);
    Walkthrough growing(scenario.track, level);
    std::vector<Event> arrived;
    for (const auto& event : events) {
      arrived.push_back(event);
      growing.update(arrived);
      expect_same_rows(growing, Walkthrough(scenario.track, level, arrived), arrived);
    }
    expect_same_rows(growing, whole, events);
  }
}

TEST(Walkthrough, ChangingLevelSplitsTheSameEventsAgain) {
  const auto& [scenario, events] = hello();
  Walkthrough walkthrough(scenario.track, 1, events);
  walkthrough.set_level(events, 3);
  EXPECT_EQ(walkthrough.step_count(), events.size());
  expect_same_rows(walkthrough, Walkthrough(scenario.track, 3, events), events);
  walkthrough.set_level(events, 1);
  EXPECT_EQ(walkthrough.step_count(), 6u);
  expect_same_rows(walkthrough, Walkthrough(scenario.track, 1, events), events);
}

TEST(Walkthrough, PreviousAndNextChangeOfAVariable) {
  const auto& [scenario, events] = hello();
  const Walkthrough walkthrough(scenario.track, 1, events);
  // app.state: Not called yet → Running home() route (step 3) → Response ready (4) → Idle (5).
  const std::size_t app_state = 1;
  EXPECT_EQ(walkthrough.next_change(app_state, 0), 2u);
  EXPECT_EQ(walkthrough.next_change(app_state, 2), 3u);
  EXPECT_EQ(walkthrough.previous_change(app_state, 3), 2u);
  EXPECT_EQ(walkthrough.previous_change(app_state, 2), std::nullopt);
  EXPECT_EQ(walkthrough.next_change(app_state, 4), std::nullopt);
  EXPECT_EQ(walkthrough.changing_steps(), (std::vector<std::size_t>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace reqtrace::lesson
