// The threaded model as a whole: gunicorn -k gthread --workers 1 --threads 4. The arbiter binds and
// forks one worker process; its main thread accepts, its pool threads serve.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "scenario/load.hpp"
#include "sim/topology/stack.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::topology {
namespace {

constexpr const char* kSlowPage = R"({
  "id": "slow-threads", "title": "Four threads, one slow page",
  "topology": {"server": {"model": "threaded", "workers": 4}},
  "app": {"routes": [{"rule": "/slow", "endpoint": "slow",
                      "returns": {"body": "done", "delay_ms": 800}}]},
  "requests": [{"path": "/slow"}]
})";

// Four clients at once on the slow page; the whole trace in seq order.
std::vector<trace::Event> four_slow_requests() {
  auto loaded = scenario::load_text(kSlowPage, "slow.json");
  EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
  std::vector<trace::Event> events;
  trace::Recorder recorder;
  recorder.add_sink([&events](const std::vector<trace::Event>& batch) {
    events.insert(events.end(), batch.begin(), batch.end());
  });
  std::string error;
  auto stack = Stack::start(*loaded.scenario, &recorder, {}, error);
  EXPECT_TRUE(stack) << error;
  if (!stack) return {};
  std::vector<std::string> responses(4);
  std::vector<std::thread> clients;
  clients.reserve(4);
  for (int i = 0; i < 4; ++i)
    clients.emplace_back([&, i] {
      testing::RawClient client(stack->front_door().port);
      client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
      responses[i] = client.read_until_close(10000);
    });
  for (auto& client : clients) client.join();
  stack->stop();
  recorder.flush();
  for (const auto& response : responses) EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u);
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return events;
}

TEST(ThreadedModel, FourSlowRequestsAreInTheAppAtOnceOnFourPoolThreads) {
  const auto events = four_slow_requests();
  // Every request entered the app before the first one came out of it.
  std::size_t calls = 0;
  std::set<std::string> lanes;
  std::set<int> pids;
  for (const auto& event : events) {
    if (event.phase == trace::Phase::ResponseReady) break;
    if (event.phase == trace::Phase::CallingApp) {
      ++calls;
      lanes.insert(event.lane);
      pids.insert(event.pid);
      auto environ = nlohmann::json::parse(event.data)["environ"];
      EXPECT_EQ(environ["wsgi.multithread"], "True");
      EXPECT_EQ(environ["wsgi.multiprocess"], "False");  // one worker: cfg.workers > 1 is False
    }
  }
  EXPECT_EQ(calls, 4u);
  EXPECT_EQ(lanes, (std::set<std::string>{"worker-1/thread-1", "worker-1/thread-2",
                                          "worker-1/thread-3", "worker-1/thread-4"}));
  EXPECT_EQ(pids.size(), 1u);  // threads of one worker process
}

TEST(ThreadedModel, TheArbiterBindsAndForksOneGthreadWorkerWhoseMainThreadAccepts) {
  const auto events = four_slow_requests();
  ASSERT_FALSE(events.empty());
  const trace::Event& listening = events.front();
  ASSERT_EQ(listening.phase, trace::Phase::Listening);
  EXPECT_NE(listening.pid, ::getpid());  // not this process: the arbiter's own
  int forks = 0;
  std::set<int> worker_pids;
  for (const auto& event : events) {
    if (event.phase == trace::Phase::Fork) {
      ++forks;
      EXPECT_EQ(nlohmann::json::parse(event.data)["arbiter_pid"], listening.pid);
    }
    if (event.phase == trace::Phase::Accept) {
      EXPECT_EQ(event.lane, "worker-1");
      worker_pids.insert(event.pid);
    }
    if (event.phase == trace::Phase::CallingApp) worker_pids.insert(event.pid);
  }
  EXPECT_EQ(forks, 1);
  ASSERT_EQ(worker_pids.size(), 1u);  // the accepting and the serving threads: one process
  EXPECT_NE(*worker_pids.begin(), listening.pid);
}

}  // namespace
}  // namespace reqtrace::topology
