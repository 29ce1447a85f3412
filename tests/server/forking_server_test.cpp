// The fork-per-request model with real processes: a child per connection, its events in the one
// trace, every child reaped.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "scenario/load.hpp"
#include "sim/topology/send_requests.hpp"
#include "sim/topology/stack.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::topology {
namespace {

using trace::Phase;

// `workers` is Werkzeug's processes=N, which the scenario must give.
scenario::Scenario forking_scenario(int delay_ms, const std::string& workers = "40") {
  const std::string text = R"({
    "id": "forking", "title": "A child per connection",
    "topology": {"server": {"model": "fork-per-request", "workers": )" +
                           workers + R"(}},
    "app": {"routes": [{"rule": "/", "endpoint": "home",
                        "returns": {"body": "Hello from Flask!", "delay_ms": )" +
                           std::to_string(delay_ms) + R"(}},
                       {"rule": "/fast", "endpoint": "fast", "returns": {"body": "quick"}}]},
    "requests": [{"path": "/"}],
    "track": [{"var": "server.state", "label": "WSGI Server State", "start": "Idle"},
              {"var": "app.state", "label": "Flask App State", "start": "Not called yet"},
              {"var": "response.sent", "label": "Response Sent", "start": "No"}]
  })";
  auto loaded = scenario::load_text(text, "forking.json");
  EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
  return *loaded.scenario;
}

// The processes whose parent is `pid`, zombies included, from /proc/<pid>/stat.
std::vector<int> children_of(int pid) {
  std::vector<int> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string text;
    try {
      text.assign(std::istreambuf_iterator<char>(stat), std::istreambuf_iterator<char>());
    } catch (const std::ios_base::failure&) {
      continue;  // any process on the machine may exit between the listing and the read (ESRCH)
    }
    const auto after_name = text.rfind(')');  // the command may hold spaces and parentheses
    if (after_name == std::string::npos) continue;
    std::istringstream fields(text.substr(after_name + 1));
    std::string state;
    int parent = 0;
    fields >> state >> parent;
    if (parent == pid) children.push_back(std::stoi(name));
  }
  return children;
}

class ForkingServer : public ::testing::Test {
 protected:
  void start(const scenario::Scenario& scenario) {
    recorder.add_sink([this](const std::vector<trace::Event>& batch) {
      std::lock_guard lock(events_mutex);
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
    std::lock_guard lock(events_mutex);
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& a, const auto& b) { return a.seq < b.seq; });
    return events;
  }
  // Waits (a bounded while) until `count` events of `phase` have been relayed; their pids.
  std::vector<int> wait_for(Phase phase, std::size_t count) {
    std::vector<int> pids;
    for (int tries = 0; tries < 400; ++tries) {
      recorder.flush();
      pids.clear();
      {
        std::lock_guard lock(events_mutex);
        for (const auto& event : events)
          if (event.phase == phase) pids.push_back(event.pid);
      }
      if (pids.size() >= count) return pids;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return pids;
  }
  static std::string get(int port, const std::string& path) {
    testing::RawClient client(port);
    client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    return client.read_until_close(15000);
  }
  std::mutex events_mutex;
  std::vector<trace::Event> events;
  trace::Recorder recorder;
  std::unique_ptr<Stack> stack;
};

TEST_F(ForkingServer, AChildServesTheRequestAndTheOverviewShowsItsForkAndExit) {
  const auto scenario = forking_scenario(0);
  start(scenario);
  auto exchanges = send_requests(scenario, stack->front_door(), &recorder);
  ASSERT_EQ(exchanges[0].response.body, "Hello from Flask!");
  wait_for(Phase::Exit, 1);
  auto trace = finish();

  // Seq is one order across the processes: no gaps, no repeats.
  for (std::size_t i = 0; i < trace.size(); ++i) ASSERT_EQ(trace[i].seq, i);
  int child = 0, parent = 0;  // the child, and the server process that forked it
  for (const auto& event : trace) {
    if (event.phase != Phase::Fork) continue;
    const auto data = nlohmann::json::parse(event.data);
    child = data["pid"].get<int>();
    parent = data["parent_pid"].get<int>();
  }
  ASSERT_NE(child, 0);
  ASSERT_NE(child, parent);
  ASSERT_NE(parent, ::getpid()) << "the accept loop runs in a process of its own";
  const std::string lane = "worker-" + std::to_string(child);
  std::vector<std::string> overview;
  for (const auto& event : trace) {
    // Everything on the child's lane happened in the child, except its fork and its exit, which
    // the server did.
    if (event.lane == lane) {
      const bool servers = event.phase == Phase::Fork || event.phase == Phase::Exit;
      EXPECT_EQ(event.pid, servers ? parent : child) << event.msg;
    }
    if (event.phase == Phase::Exit) {
      EXPECT_EQ(event.lane, lane);
      EXPECT_NE(event.msg.find("exited with status 0"), std::string::npos) << event.msg;
    }
    if (event.phase == Phase::CallingApp) {
      EXPECT_EQ(event.pid, child);
      const auto environ = nlohmann::json::parse(event.data)["environ"];
      EXPECT_EQ(environ["wsgi.multiprocess"], "True");
      EXPECT_EQ(environ["wsgi.multithread"], "False");
      EXPECT_EQ(environ["wsgi.run_once"], "False");
    }
    // The app the server built speaks from the child; only its building (add_url_rule), which
    // happened before any fork, is the building process's.
    if (event.actor == trace::Actor::App && event.phase != Phase::AddUrlRule) {
      EXPECT_EQ(event.pid, child) << event.msg;
    }
    if (event.level == trace::kOverview && event.actor != trace::Actor::Client)
      overview.emplace_back(trace::name_of(event.phase));
  }
  EXPECT_EQ(overview, (std::vector<std::string>{"listening", "fork", "request_received",
                                                "calling_app", "response_ready", "sent", "exit"}));
}

TEST_F(ForkingServer, ServesTwoSlowRequestsAtOnceInTwoChildren) {
  start(forking_scenario(1500));
  std::vector<std::string> responses(2);
  std::vector<std::thread> clients;
  clients.reserve(2);
  for (int i = 0; i < 2; ++i)
    clients.emplace_back([&, i] { responses[i] = get(stack->front_door().port, "/"); });
  for (auto& client : clients) client.join();
  for (const auto& response : responses) EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u);
  wait_for(Phase::Exit, 2);
  auto trace = finish();

  // Both children were inside the app before either came out: they overlapped.
  std::set<int> calling;
  std::size_t calls_before_first_ready = 0;
  bool ready_seen = false;
  for (const auto& event : trace) {
    if (event.phase == Phase::ResponseReady) ready_seen = true;
    if (event.phase == Phase::CallingApp) {
      calling.insert(event.pid);
      if (!ready_seen) ++calls_before_first_ready;
    }
  }
  EXPECT_EQ(calls_before_first_ready, 2u);
  EXPECT_EQ(calling.size(), 2u);
  EXPECT_EQ(calling.count(::getpid()), 0u);
  // Two requests, two numbers, though each child counted in its own copy of the server.
  std::set<int> numbers;
  for (const auto& event : trace)
    if (event.phase == Phase::RequestReceived) numbers.insert(event.req);
  EXPECT_EQ(numbers, (std::set<int>{1, 2}));
}

TEST_F(ForkingServer, ReapsEveryChildSoNoZombieIsLeft) {
  start(forking_scenario(0));
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(get(stack->front_door().port, "/fast").rfind("HTTP/1.1 200 OK", 0), 0u);
  const auto exits = wait_for(Phase::Exit, 5);
  ASSERT_EQ(exits.size(), 5u);
  // While the server still runs, it has no child left: not one alive, not one a zombie.
  const int server_process = exits.front();
  EXPECT_EQ(children_of(server_process), (std::vector<int>{}));
  auto trace = finish();
  // And the server process itself was reaped: this would return its pid otherwise.
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  std::set<int> forked, exited;
  for (const auto& event : trace) {
    if (event.phase == Phase::Fork)
      forked.insert(nlohmann::json::parse(event.data)["pid"].get<int>());
    if (event.phase == Phase::Exit)
      exited.insert(nlohmann::json::parse(event.data)["pid"].get<int>());
  }
  EXPECT_EQ(forked.size(), 5u);
  EXPECT_EQ(forked, exited);
}

TEST_F(ForkingServer, KeepsServingAfterAChildIsKilled) {
  start(forking_scenario(5000));
  std::string cut_off;
  std::thread victim_client([&] { cut_off = get(stack->front_door().port, "/"); });
  const auto forked = wait_for(Phase::CallingApp, 1);
  ASSERT_EQ(forked.size(), 1u);
  ASSERT_EQ(::kill(forked[0], SIGKILL), 0);
  victim_client.join();
  EXPECT_EQ(cut_off, "");  // the child died before it answered
  EXPECT_EQ(get(stack->front_door().port, "/fast").rfind("HTTP/1.1 200 OK", 0), 0u);
  wait_for(Phase::Exit, 2);
  auto trace = finish();
  int killed = 0, clean = 0;
  for (const auto& event : trace) {
    if (event.phase != Phase::Exit) continue;
    if (event.msg.find("killed by signal 9") != std::string::npos) ++killed;
    if (event.msg.find("exited with status 0") != std::string::npos) ++clean;
  }
  EXPECT_EQ(killed, 1);
  EXPECT_EQ(clean, 1);
}

TEST_F(ForkingServer, AtTheCapAcceptWaitsForAChildToExit) {
  // processes=2, Werkzeug's smallest forking server: the third connection waits in the backlog
  // until a child exits.
  start(forking_scenario(800, "2"));
  std::vector<std::string> responses(3);
  std::vector<std::thread> clients;
  clients.reserve(3);
  for (int i = 0; i < 3; ++i)
    clients.emplace_back([&, i] { responses[i] = get(stack->front_door().port, "/"); });
  for (auto& client : clients) client.join();
  for (const auto& response : responses) EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u);
  wait_for(Phase::Exit, 3);
  auto trace = finish();
  // The third fork comes after the first exit: never three children alive.
  int alive = 0, most = 0;
  for (const auto& event : trace) {
    if (event.phase == Phase::Fork) most = std::max(most, ++alive);
    if (event.phase == Phase::Exit) --alive;
  }
  EXPECT_EQ(most, 2);
}

}  // namespace
}  // namespace reqtrace::topology
