// The threaded model: several requests inside the app at once, one worker lane each.
#include <gtest/gtest.h>

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

TEST(ThreadedServer, FourSlowRequestsAreInTheAppAtOnce) {
  auto loaded = scenario::load_text(kSlowPage, "slow.json");
  ASSERT_TRUE(loaded) << loaded.problems[0].to_string();
  std::vector<trace::Event> events;
  trace::Recorder recorder;
  recorder.add_sink([&events](const std::vector<trace::Event>& batch) {
    events.insert(events.end(), batch.begin(), batch.end());
  });
  std::string error;
  auto stack = Stack::start(*loaded.scenario, &recorder, {}, error);
  ASSERT_TRUE(stack) << error;

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
  // Every request entered the app before the first one came out of it.
  std::size_t calls = 0;
  std::set<std::string> lanes;
  for (const auto& event : events) {
    if (event.phase == trace::Phase::ResponseReady) break;
    if (event.phase == trace::Phase::CallingApp) {
      ++calls;
      lanes.insert(event.lane);
      auto environ = nlohmann::json::parse(event.data)["environ"];
      EXPECT_EQ(environ["wsgi.multithread"], "True");
      EXPECT_EQ(environ["wsgi.multiprocess"], "False");
    }
  }
  EXPECT_EQ(calls, 4u);
  EXPECT_EQ(lanes.size(), 4u);  // worker-1 .. worker-4
}

}  // namespace
}  // namespace reqtrace::topology
