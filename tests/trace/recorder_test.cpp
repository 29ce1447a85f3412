#include "trace/recorder.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "trace/emitter.hpp"

namespace reqtrace::trace {
namespace {

struct Collected {
  std::vector<Event> events;
  std::vector<std::size_t> batch_sizes;
};

void collect_into(Recorder& recorder, Collected& collected) {
  recorder.add_sink([&collected](const std::vector<Event>& batch) {
    collected.batch_sizes.push_back(batch.size());
    collected.events.insert(collected.events.end(), batch.begin(), batch.end());
  });
}

TEST(Recorder, StampsSeqTimeAndThread) {
  Recorder recorder;
  Collected collected;
  collect_into(recorder, collected);
  Emitter server(&recorder, Actor::Server, "server");
  server(Phase::Listening, 0, kOverview, "listening", {{"server.state", "Listening"}});
  server(Phase::Accept, 0, kServerInternals, "accept");
  recorder.flush();
  ASSERT_EQ(collected.events.size(), 2u);
  EXPECT_EQ(collected.events[0].seq, 0u);
  EXPECT_EQ(collected.events[1].seq, 1u);
  EXPECT_LE(collected.events[0].t_ns, collected.events[1].t_ns);
  EXPECT_EQ(collected.events[0].tid, collected.events[1].tid);
  EXPECT_GT(collected.events[0].pid, 0);
  EXPECT_EQ(collected.events[0].lane, "server");
  EXPECT_EQ(collected.events[0].var("server.state"), "Listening");
}

TEST(Recorder, ManyThreadsGiveAGapFreeOrderedStream) {
  Recorder recorder;
  Collected collected;
  collect_into(recorder, collected);
  recorder.start_background_flush(std::chrono::milliseconds(1));
  constexpr int kThreads = 4, kEach = 5000;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&recorder, t] {
      Emitter worker(&recorder, Actor::Worker, "worker-" + std::to_string(t));
      for (int i = 0; i < kEach; ++i) worker(Phase::Busy, i, kServerInternals, "busy");
    });
  for (auto& thread : threads) thread.join();
  recorder.stop_background_flush();
  recorder.flush();
  ASSERT_EQ(collected.events.size(), std::size_t{kThreads} * kEach);
  // Across batches too: every sink sees seq 0, 1, 2... with no gap and no repeat.
  for (std::size_t i = 0; i < collected.events.size(); ++i) ASSERT_EQ(collected.events[i].seq, i);
  std::set<int> tids;
  for (const auto& event : collected.events) tids.insert(event.tid);
  EXPECT_EQ(tids.size(), std::size_t{kThreads});
}

TEST(Recorder, AnEmitterWithoutRecorderSaysNothing) {
  Emitter silent;
  EXPECT_FALSE(silent.enabled());
  silent(Phase::Listening, 0, kOverview, "nobody hears this");
}

TEST(Recorder, TwoRecordersOnOneThreadKeepTheirOwnEvents) {
  Recorder first, second;
  Collected a, b;
  collect_into(first, a);
  collect_into(second, b);
  for (int i = 0; i < 3; ++i) {
    Emitter(&first, Actor::App, "app")(Phase::Call, 1, kFrameworkInternals, "first");
    Emitter(&second, Actor::App, "app")(Phase::Call, 1, kFrameworkInternals, "second");
  }
  first.flush();
  second.flush();
  ASSERT_EQ(a.events.size(), 3u);
  ASSERT_EQ(b.events.size(), 3u);
  EXPECT_EQ(a.events[2].msg, "first");
  EXPECT_EQ(b.events[2].seq, 2u);
}

TEST(Event, PhaseAndActorNamesRoundTrip) {
  for (auto name : all_phase_names()) EXPECT_EQ(name_of(phase_from(name)), name);
  EXPECT_EQ(phase_from("calling_app"), Phase::CallingApp);
  // The app's phases, in Flask 2.2's order (DESIGN.md "Trace events").
  const std::vector<std::pair<Phase, std::string_view>> app = {
      {Phase::AddUrlRule, "add_url_rule"},
      {Phase::Call, "call"},
      {Phase::Middleware, "middleware"},
      {Phase::PushContext, "push_context"},
      {Phase::Match, "match"},
      {Phase::FullDispatch, "full_dispatch"},
      {Phase::Preprocess, "preprocess"},
      {Phase::Dispatch, "dispatch"},
      {Phase::View, "view"},
      {Phase::ViewReturn, "view_return"},
      {Phase::MakeResponse, "make_response"},
      {Phase::ProcessResponse, "process_response"},
      {Phase::Teardown, "teardown"},
      {Phase::Close, "close"}};
  for (const auto& [phase, name] : app) EXPECT_EQ(name_of(phase), name);
  EXPECT_EQ(phase_from("no_such_phase"), Phase::Invalid);
  EXPECT_EQ(actor_from("proxy"), Actor::Proxy);
  EXPECT_EQ(actor_from("browser"), Actor::Invalid);
}

}  // namespace
}  // namespace reqtrace::trace
