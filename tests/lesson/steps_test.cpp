#include <gtest/gtest.h>

#include "lesson/anchor.hpp"
#include "lesson/steps.hpp"
#include "support/classic_trace.hpp"

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Event;
using trace::Phase;

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

TEST(Steps, ExtendingAGrowingSplitGivesTheSplitOfTheWhole) {
  auto events = classic_events();
  for (int level : {1, 2, 3}) {
    std::vector<Step> growing;
    for (std::size_t i = 0; i < events.size(); ++i) {
      extend_steps(growing, events, i, i + 1, level);
      const auto whole = steps_at_level(
          {events.begin(), events.begin() + static_cast<std::ptrdiff_t>(i + 1)}, level);
      ASSERT_EQ(growing.size(), whole.size()) << level << " " << i;
      for (std::size_t s = 0; s < whole.size(); ++s) {
        EXPECT_EQ(growing[s].event, whole[s].event);
        EXPECT_EQ(growing[s].end, whole[s].end);
      }
    }
  }
}

TEST(Anchor, FindsThePhaseOfARequest) {
  auto events = classic_events();
  EXPECT_EQ(find_anchor(events, {Phase::ResponseReady, 1}), 5u);
  // Before any request: request 1's story.
  EXPECT_EQ(find_anchor(events, {Phase::Listening, 1}), 0u);
  EXPECT_EQ(find_anchor(events, {Phase::ResponseReady, 2}), std::nullopt);
  EXPECT_EQ(find_anchor(events, {Phase::Invalid, 1}), std::nullopt);
}

TEST(AnchorIndex, FindsWhatFindAnchorFindsAsEventsArrive) {
  auto events = classic_events();
  events.push_back(make(Phase::RequestReceived, 1, {}, 2));
  events.push_back(make(Phase::Accept, 2, {}, 0));  // a second accept: the first one counts
  const std::vector<scenario::Anchor> anchors = {
      {Phase::ResponseReady, 1},   {Phase::Listening, 1},     {Phase::Accept, 1},
      {Phase::RequestReceived, 2}, {Phase::ResponseReady, 2}, {Phase::ResponseReady, 1}};
  AnchorIndex index;
  for (const auto& anchor : anchors) index.add(anchor);
  std::vector<Event> arrived;
  for (const Event& event : events) {
    arrived.push_back(event);
    index.update(arrived);
    for (std::size_t a = 0; a < anchors.size(); ++a)
      EXPECT_EQ(index.event(a), find_anchor(arrived, anchors[a])) << a << " " << arrived.size();
  }
  EXPECT_EQ(index.event(2), 1u);
  EXPECT_EQ(index.event(5), 5u);  // the same anchor twice
}

}  // namespace
}  // namespace reqtrace::lesson
