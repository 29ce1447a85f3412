// gunicorn's preload_app (--preload): without it each worker imports the app after the fork
// (Worker.load_wsgi); with it the arbiter imports it once before forking (Arbiter.setup).
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "scenario/load.hpp"
#include "server/served_stack.hpp"
#include "support/raw_client.hpp"
#include "support/temp_path.hpp"

namespace reqtrace::testing {
namespace {

using trace::Actor;
using trace::Phase;

std::string preload_field(bool preload) {
  return preload ? R"(, "preload": true)" : "";
}

scenario::Scenario cpp_scenario(bool preload) {
  const std::string text = R"({"id": "preload", "title": "Where the app is imported",
    "topology": {"server": {"model": "prefork", "workers": 2)" +
                           preload_field(preload) + R"(}},
    "app": {"routes": [{"rule": "/", "endpoint": "home", "returns": {"body": "hi"}},
                       {"rule": "/about", "endpoint": "about", "returns": {"body": "about"}}]},
    "requests": [{"path": "/"}],
    "track": [{"var": "server.state", "label": "WSGI Server State", "start": "Idle"}]})";
  auto loaded = scenario::load_text(text, "preload.json");
  EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
  return *loaded.scenario;
}

// A real Python app that answers with the pid that imported it and the pid that serves.
scenario::Scenario python_scenario(bool preload) {
  return python_app_scenario(preload ? "preload-app" : "import-app", "where.py", R"(import os

IMPORTED_IN = os.getpid()

def app(environ, start_response):
    body = ("%d %d" % (IMPORTED_IN, os.getpid())).encode()
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
)",
                             R"({"model": "prefork", "workers": 2)" + preload_field(preload) + "}");
}

class Preload : public ServedStack {
 protected:
  bool workers_ready(std::size_t count) {
    return wait_for([this, count](const trace::Event&) {
      const auto trace = snapshot();
      return static_cast<std::size_t>(
                 std::count_if(trace.begin(), trace.end(), [](const trace::Event& e) {
                   return e.phase == Phase::Boot && e.actor == Actor::Worker;
                 })) >= count;
    });
  }
  static int arbiter_pid(const std::vector<trace::Event>& trace) {
    for (const auto& event : trace)
      if (event.phase == Phase::Listening) return event.pid;
    return 0;
  }
};

TEST_F(Preload, WithoutItEachWorkerImportsTheAppAfterTheFork) {
  start_scenario(cpp_scenario(false));
  ASSERT_TRUE(workers_ready(2));
  const auto trace = finish();
  const int arbiter = arbiter_pid(trace);
  std::set<int> forked, adding;
  std::set<std::string> importing_lanes;
  for (const auto& event : trace) {
    if (event.phase == Phase::Fork) forked.insert(event.pid);
    if (event.phase == Phase::AddUrlRule) adding.insert(event.pid);
    if (event.phase == Phase::Boot && event.actor == Actor::App) importing_lanes.insert(event.lane);
  }
  EXPECT_EQ(forked.size(), 2u);
  EXPECT_EQ(adding, forked);  // each worker ran the add_url_rule calls itself
  EXPECT_EQ(adding.count(arbiter), 0u);
  EXPECT_EQ(importing_lanes, (std::set<std::string>{"worker-1", "worker-2"}));
}

TEST_F(Preload, WithItTheArbiterImportsTheAppOnceBeforeForking) {
  start_scenario(cpp_scenario(true));
  ASSERT_TRUE(workers_ready(2));
  EXPECT_EQ(body_of("/about"), "about");  // a worker serves the arbiter's app
  const auto trace = finish();
  const int arbiter = arbiter_pid(trace);
  std::set<int> adding;
  std::set<std::string> importing_lanes;
  std::uint64_t first_fork = ~std::uint64_t{0}, last_rule = 0;
  int rules = 0;
  for (const auto& event : trace) {
    if (event.phase == Phase::Fork) first_fork = std::min(first_fork, event.seq);
    if (event.phase == Phase::AddUrlRule) {
      adding.insert(event.pid);
      last_rule = std::max(last_rule, event.seq);
      ++rules;
    }
    if (event.phase == Phase::Boot && event.actor == Actor::App) importing_lanes.insert(event.lane);
  }
  EXPECT_EQ(adding, (std::set<int>{arbiter}));
  EXPECT_EQ(rules, 2);  // once, not once per worker
  EXPECT_LT(last_rule, first_fork);
  EXPECT_EQ(importing_lanes, (std::set<std::string>{"server"}));
}

TEST_F(Preload, APythonAppIsImportedByEachWorkerAfterTheFork) {
  start_scenario(python_scenario(false));
  ASSERT_TRUE(workers_ready(2));
  const std::string body = body_of("/");
  ASSERT_NE(body.find(' '), std::string::npos) << body;
  // The worker that serves imported its own copy.
  EXPECT_EQ(std::stoi(body), std::stoi(body.substr(body.find(' ') + 1)));
}

TEST_F(Preload, APythonAppIsImportedOnceByTheArbiterWithPreload) {
  start_scenario(python_scenario(true));
  ASSERT_TRUE(workers_ready(2));
  const std::string body = body_of("/");
  ASSERT_NE(body.find(' '), std::string::npos) << body;
  const auto trace = finish();
  const int imported_in = std::stoi(body);
  EXPECT_EQ(imported_in, arbiter_pid(trace));
  EXPECT_NE(std::stoi(body.substr(body.find(' ') + 1)), imported_in);
}

}  // namespace
}  // namespace reqtrace::testing
