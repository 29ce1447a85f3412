// The session: one model for a trace file and a live capture.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "trace/recorder.hpp"
#include "trace/session.hpp"

namespace reqtrace::trace {
namespace {

Event numbered(std::uint64_t seq) {
  Event event;
  event.seq = seq;
  event.actor = Actor::Server;
  event.lane = "server";
  event.phase = Phase::Idle;
  return event;
}

void expect_gap_free(const std::vector<Event>& events) {
  for (std::size_t i = 0; i < events.size(); ++i) ASSERT_EQ(events[i].seq, i);
}

TEST(Session, AFileIsReadableAtOnceInSeqOrder) {
  Session session({{"id", "x"}}, {numbered(2), numbered(0), numbered(1)}, "t.jsonl");
  EXPECT_EQ(session.origin(), Session::Origin::File);
  EXPECT_EQ(session.scenario()["id"], "x");
  expect_gap_free(session.events());
  EXPECT_EQ(session.poll(), 0u);
}

TEST(Session, LiveEventsAppearOnlyAtPoll) {
  Session session({{"id", "x"}}, "live: x");
  EXPECT_EQ(session.origin(), Session::Origin::Live);
  session.append({numbered(0), numbered(1)});
  EXPECT_TRUE(session.events().empty());
  EXPECT_EQ(session.waiting(), 2u);
  EXPECT_EQ(session.poll(), 2u);
  EXPECT_EQ(session.events().size(), 2u);
  EXPECT_EQ(session.waiting(), 0u);
  EXPECT_EQ(session.poll(), 0u);
}

TEST(Session, ALateBatchIsMergedAndCountedAsAReorder) {
  Session session({}, "live");
  session.append({numbered(0), numbered(3)});
  session.poll();
  EXPECT_EQ(session.reorders(), 0u);
  session.append({numbered(2), numbered(1)});
  session.poll();
  expect_gap_free(session.events());
  EXPECT_EQ(session.reorders(), 1u);
}

// The recorder's flushes from the stack's threads, the UI's polls on its own:
// whatever the interleaving, the UI ends with every event, in order.
TEST(Session, ARecorderSinkFromManyThreadsEndsGapFree) {
  auto session = std::make_shared<Session>(nlohmann::json::object(), "live");
  Recorder recorder;
  recorder.add_sink(Session::sink_for(session));
  recorder.start_background_flush(std::chrono::milliseconds(1));
  constexpr int kThreads = 4, kEach = 5000;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&recorder] {
      for (int i = 0; i < kEach; ++i) {
        Event event;
        event.actor = Actor::Worker;
        event.lane = "worker";
        event.phase = Phase::Busy;
        recorder.emit(std::move(event));
      }
    });
  std::size_t polled = 0;
  std::atomic<bool> done = false;
  std::thread joiner([&] {
    for (auto& thread : threads) thread.join();
    recorder.stop_background_flush();
    recorder.flush();
    done = true;
  });
  while (!done) polled += session->poll();
  joiner.join();
  polled += session->poll();
  EXPECT_EQ(polled, std::size_t{kThreads} * kEach);
  expect_gap_free(session->events());
  EXPECT_EQ(session->reorders(), 0u);
}

}  // namespace
}  // namespace reqtrace::trace
