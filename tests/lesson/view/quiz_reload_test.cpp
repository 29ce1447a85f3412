// Reloading a lesson's scenario while it is open: when to reload, whether to run again, and
// where the student ends up.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lesson/view/scenario_reload.hpp"

namespace reqtrace::lesson {
namespace {

using trace::Event;
using trace::Phase;

TEST(FileWatch, ReloadsOnceAChangeHasSettled) {
  const FileStamp loaded{true, 100, 500};
  FileWatch watch(loaded);
  EXPECT_FALSE(watch.poll(loaded));
  const FileStamp truncated{true, 200, 0};
  const FileStamp saved{true, 201, 520};
  EXPECT_FALSE(watch.poll(truncated));  // still being written
  EXPECT_FALSE(watch.poll(saved));
  EXPECT_TRUE(watch.poll(saved));   // the same twice: done
  EXPECT_FALSE(watch.poll(saved));  // and only once
  EXPECT_FALSE(watch.poll({}));     // deleted: nothing to load
  EXPECT_FALSE(watch.poll({}));
  EXPECT_FALSE(watch.poll(saved));  // back again, as it was loaded last: nothing new
  EXPECT_FALSE(watch.poll(saved));
}

TEST(NeedsNewRun, OnlyWhenTheStackChanges) {
  scenario::Scenario before;
  before.source = nlohmann::json::parse(R"({"id": "x", "title": "T",
      "app": {"routes": [{"rule": "/", "endpoint": "home"}]}, "requests": [{"path": "/"}],
      "narration": {"sent": "Sent."}})");
  scenario::Scenario after = before;
  after.source["narration"]["sent"] = "Sent, at last.";
  after.source["quizzes"] = nlohmann::json::array();
  EXPECT_FALSE(needs_new_run(before, after));
  after.source["requests"][0]["path"] = "/other";
  EXPECT_TRUE(needs_new_run(before, after));
  after = before;
  after.source["topology"] = {{"middleware", {"timing"}}};
  EXPECT_TRUE(needs_new_run(before, after));
}

Event at(Phase phase, int level, int req = 1) {
  Event event;
  event.phase = phase;
  event.level = level;
  event.req = req;
  return event;
}

TEST(KeepPlace, FindsTheSameHappeningInANewRun) {
  const std::vector<Event> old_events = {
      at(Phase::Listening, 1, 0), at(Phase::RequestReceived, 1),    at(Phase::CallingApp, 1),
      at(Phase::Sent, 1),         at(Phase::RequestReceived, 1, 2), at(Phase::Sent, 1, 2)};
  // The new run has finer events in between, and one more request.
  const std::vector<Event> new_events = {
      at(Phase::Listening, 1, 0),       at(Phase::Accept, 2, 0), at(Phase::RequestReceived, 1),
      at(Phase::CallingApp, 1),         at(Phase::View, 3),      at(Phase::Sent, 1),
      at(Phase::RequestReceived, 1, 2), at(Phase::Sent, 1, 2),   at(Phase::RequestReceived, 1, 3)};
  const auto level1 = steps_at_level(new_events, 1);
  const auto level3 = steps_at_level(new_events, 3);
  EXPECT_EQ(keep_place(old_events, 2, new_events, level1), 2u);  // calling_app of request 1
  EXPECT_EQ(keep_place(old_events, 2, new_events, level3), 3u);
  EXPECT_EQ(keep_place(old_events, 5, new_events, level1), 5u);  // sent of request 2
  // Gone from the new run: the step at the same place, or the last one.
  const std::vector<Event> shorter = {at(Phase::Listening, 1, 0), at(Phase::RequestReceived, 1)};
  EXPECT_EQ(keep_place(old_events, 5, shorter, steps_at_level(shorter, 1)), 1u);
  EXPECT_EQ(keep_place(old_events, 5, {}, {}), 0u);
}

}  // namespace
}  // namespace reqtrace::lesson
