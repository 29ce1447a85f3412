// The pre-fork model with real processes: events from every worker reach one trace.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "lesson/steps.hpp"
#include "scenario/load.hpp"
#include "sim/server/prefork_server.hpp"
#include "sim/topology/send_requests.hpp"
#include "sim/topology/stack.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::topology {
namespace {

scenario::Scenario prefork_scenario(int delay_ms) {
  const std::string text = R"({
    "id": "prefork", "title": "Four worker processes",
    "topology": {"server": {"model": "prefork", "workers": 4}},
    "app": {"routes": [{"rule": "/", "endpoint": "home",
                        "returns": {"body": "Hello from Flask!", "delay_ms": )" +
                           std::to_string(delay_ms) + R"(}},
                       {"rule": "/fast", "endpoint": "fast", "returns": {"body": "quick"}}]},
    "requests": [{"path": "/"}],
    "track": [{"var": "server.state", "label": "WSGI Server State", "start": "Idle"},
              {"var": "app.state", "label": "Flask App State", "start": "Not called yet"},
              {"var": "response.sent", "label": "Response Sent", "start": "No"}]
  })";
  auto loaded = scenario::load_text(text, "prefork.json");
  EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
  return *loaded.scenario;
}

class Prefork : public ::testing::Test {
 protected:
  void start(const scenario::Scenario& scenario) {
    recorder.add_sink([this](const std::vector<trace::Event>& batch) {
      events.insert(events.end(), batch.begin(), batch.end());
    });
    std::string error;
    stack = Stack::start(scenario, &recorder, {}, error);
    ASSERT_TRUE(stack) << error;
  }
  // Stops everything and returns the whole trace in seq order.
  std::vector<trace::Event> finish() {
    stack->stop();
    recorder.flush();
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& a, const auto& b) { return a.seq < b.seq; });
    return events;
  }
  // Waits (a bounded while) until `count` workers have booted in all.
  void wait_for_boots(long count) {
    for (int tries = 0; tries < 200; ++tries) {
      recorder.flush();
      if (std::count_if(events.begin(), events.end(), [](const trace::Event& e) {
            return e.phase == trace::Phase::Boot && e.actor == trace::Actor::Worker;
          }) >= count)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  std::vector<trace::Event> events;
  trace::Recorder recorder;
  std::unique_ptr<Stack> stack;
};

TEST_F(Prefork, TheClassicSixStepsComeFromAWorkerProcess) {
  const auto scenario = prefork_scenario(0);
  start(scenario);
  auto exchanges = send_requests(scenario, stack->front_door(), &recorder);
  ASSERT_EQ(exchanges[0].response.body, "Hello from Flask!");
  auto trace = finish();
  const auto steps = lesson::steps_at_level(trace, 1);
  std::vector<std::string> phases;
  phases.reserve(steps.size());
  for (const auto& step : steps) phases.emplace_back(trace::name_of(trace[step.event].phase));
  EXPECT_EQ(phases, (std::vector<std::string>{"listening", "request_received", "calling_app",
                                              "response_ready", "sent", "receive"}));
  // Seq is one order across processes: no gaps, no repeats.
  for (std::size_t i = 0; i < trace.size(); ++i) ASSERT_EQ(trace[i].seq, i);
  const auto& received = trace[steps[1].event];
  EXPECT_NE(received.pid, trace[steps[0].event].pid);  // a worker, not the arbiter
  EXPECT_EQ(received.req, 1);
  EXPECT_EQ(received.lane.rfind("worker-", 0), 0u);
}

TEST_F(Prefork, TheArbiterBindsTheSocketBeforeItForksTheWorkersThatAcceptOnIt) {
  const auto scenario = prefork_scenario(0);
  start(scenario);
  wait_for_boots(4);
  send_requests(scenario, stack->front_door(), &recorder);
  auto trace = finish();
  ASSERT_FALSE(trace.empty());
  // gunicorn's Arbiter.start() -> sock.create_sockets, in the master process, before any fork.
  const trace::Event& listening = trace.front();
  ASSERT_EQ(listening.phase, trace::Phase::Listening);
  EXPECT_NE(listening.pid, ::getpid());
  EXPECT_EQ(listening.lane, "server");
  std::set<int> forked;
  for (const auto& event : trace) {
    if (event.phase == trace::Phase::Fork) {
      EXPECT_GT(event.seq, listening.seq);
      EXPECT_EQ(nlohmann::json::parse(event.data)["arbiter_pid"], listening.pid);
      forked.insert(event.pid);
    }
    // The workers accept, each on the socket it inherited; the arbiter never does.
    if (event.phase == trace::Phase::Accept) {
      EXPECT_EQ(forked.count(event.pid), 1u);
    }
  }
  EXPECT_EQ(forked.size(), 4u);
}

TEST_F(Prefork, WorkersServeAtOnceAndTheArbiterReplacesOneThatDies) {
  start(prefork_scenario(800));
  // On a loaded machine a worker may still be booting; with all four in
  // accept(), four clients at once are four processes at once.
  wait_for_boots(4);
  std::vector<std::string> responses(4);
  std::vector<std::thread> clients;
  clients.reserve(4);
  for (int i = 0; i < 4; ++i)
    clients.emplace_back([&, i] {
      testing::RawClient client(stack->front_door().port);
      client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      responses[i] = client.read_until_close(10000);
    });
  for (auto& client : clients) client.join();
  for (const auto& response : responses) EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u);

  // Kill one worker; the arbiter notices and forks another, and service goes on.
  recorder.flush();
  pid_t victim = 0;
  for (const auto& event : events)
    if (event.phase == trace::Phase::Boot && event.actor == trace::Actor::Worker)
      victim = event.pid;
  ASSERT_GT(victim, 0);
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  // The arbiter notices on its next turn; stopping before then would (rightly) not replace it.
  wait_for_boots(5);
  for (int i = 0; i < 4; ++i) {
    testing::RawClient client(stack->front_door().port);
    client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(client.read_until_close(10000).rfind("HTTP/1.1 200 OK", 0), 0u);
  }
  auto trace = finish();

  std::set<int> pids_in_app;
  std::size_t calls_before_first_ready = 0;
  bool ready_seen = false;
  int forks = 0, deaths = 0;
  for (const auto& event : trace) {
    if (event.phase == trace::Phase::ResponseReady) ready_seen = true;
    if (event.phase == trace::Phase::CallingApp) {
      pids_in_app.insert(event.pid);
      if (!ready_seen) ++calls_before_first_ready;
      EXPECT_EQ(nlohmann::json::parse(event.data)["environ"]["wsgi.multiprocess"], "True");
    }
    if (event.phase == trace::Phase::Fork) ++forks;
    if (event.phase == trace::Phase::Exit && event.pid != victim &&
        event.msg.find("killed by signal 9") != std::string::npos)
      ++deaths;
  }
  EXPECT_EQ(calls_before_first_ready, 4u);  // four processes in the app at once
  EXPECT_GE(pids_in_app.size(), 4u);
  EXPECT_EQ(deaths, 1);
  EXPECT_EQ(forks, 5);  // four at the start, one replacement
}

}  // namespace
}  // namespace reqtrace::topology
