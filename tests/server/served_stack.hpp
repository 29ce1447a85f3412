// A scenario's stack brought up on loopback for a test, with every event it emits collected:
// the fixture the uwsgi and request-number tests share across the dev, threaded and pre-fork
// models.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "scenario/load.hpp"
#include "sim/topology/stack.hpp"
#include "support/raw_client.hpp"
#include "support/temp_path.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::testing {

// Three routes in the spirit of flask-routing, served by `model` with two workers.
inline scenario::Scenario routing_scenario(const std::string& model, int max_body_bytes = 1 << 20) {
  const std::string text = R"({
    "id": "routing-)" + model +
                           R"(", "title": "Routing",
    "topology": {"server": {"model": ")" +
                           model + "\"" +
                           // Werkzeug's dev servers have no worker count to give.
                           (model == "dev" || model == "dev-threaded" ? "" : R"(, "workers": 2)") +
                           R"(, "max_body_bytes": )" + std::to_string(max_body_bytes) + R"(}},
    "app": {"routes": [
      {"rule": "/", "endpoint": "home", "returns": {"body": "Hello from Flask!"}},
      {"rule": "/user/<name>", "endpoint": "user", "returns": {"body": "Hello, {name}!"}},
      {"rule": "/form", "endpoint": "form", "methods": ["POST"],
       "returns": {"body": "Got {name}", "echo": "name"}}]},
    "requests": [{"path": "/"}],
    "track": [{"var": "server.state", "label": "WSGI Server State", "start": "Idle"}]
  })";
  auto loaded = scenario::load_text(text, "routing.json");
  EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
  return *loaded.scenario;
}

// A scenario whose app is the real Python module `source`, saved as `file` in a test folder of
// its own called `name`, served as `server` (the topology's "server" object, as JSON) says.
inline scenario::Scenario python_app_scenario(const std::string& name, const std::string& file,
                                              const std::string& source,
                                              const std::string& server) {
  const auto folder = temp_path(name);
  std::filesystem::create_directories(folder);
  std::ofstream(folder / file) << source;
  const std::string text = R"({"id": "python-app", "title": "A real Python app",
    "topology": {"server": )" +
                           server + R"(}, "app": {"wsgi": ")" + file + R"("},
    "requests": [{"path": "/"}],
    "track": [{"var": "server.state", "label": "WSGI Server State", "start": "Idle"}]})";
  auto loaded = scenario::load_text(text, (folder / "scenario.json").string());
  EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
  loaded.scenario->folder = folder;  // where load_file would look for the app
  return *loaded.scenario;
}

class ServedStack : public ::testing::TestWithParam<std::string> {
 protected:
  void start(const topology::Listen& listen, int max_body_bytes = 1 << 20) {
    start_scenario(routing_scenario(GetParam(), max_body_bytes), listen);
  }
  void start_scenario(scenario::Scenario served, const topology::Listen& listen = {}) {
    recorder.add_sink([this](const std::vector<trace::Event>& batch) {
      std::lock_guard lock(events_mutex);
      events.insert(events.end(), batch.begin(), batch.end());
    });
    scenario = std::move(served);
    std::string error;
    stack = topology::Stack::start(scenario, &recorder, listen, error);
    ASSERT_TRUE(stack) << error;
  }
  void TearDown() override {
    if (stack) stack->stop();
  }
  // Stops the stack and returns the whole trace in seq order: every worker's events are in.
  std::vector<trace::Event> finish() {
    stack->stop();
    recorder.flush();
    return snapshot();
  }
  std::vector<trace::Event> snapshot() {
    recorder.flush();
    std::lock_guard lock(events_mutex);
    auto sorted = events;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.seq < b.seq; });
    return sorted;
  }
  // Waits (a bounded while, as a safety net) until some event satisfies `wanted`.
  bool wait_for(const std::function<bool(const trace::Event&)>& wanted) {
    for (int tries = 0; tries < 400; ++tries) {
      for (const auto& event : snapshot())
        if (wanted(event)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  // GET `path` on a connection of its own: the body of a 200, else "not a 200: " and all of it.
  std::string body_of(const std::string& path) {
    RawClient client(stack->front_door().port);
    client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string response = client.read_until_close(10000);
    const auto head_end = response.find("\r\n\r\n");
    if (response.find(" 200 OK\r\n") == std::string::npos || head_end == std::string::npos)
      return "not a 200: " + response;
    return response.substr(head_end + 4);
  }
  static std::vector<trace::Event> only(const std::vector<trace::Event>& trace, trace::Phase phase,
                                        trace::Actor actor = trace::Actor::Server) {
    std::vector<trace::Event> out;
    for (const auto& event : trace)
      if (event.phase == phase && event.actor == actor) out.push_back(event);
    return out;
  }

  std::mutex events_mutex;
  std::vector<trace::Event> events;  // before the recorder: its last flush lands here
  trace::Recorder recorder;
  scenario::Scenario scenario;
  std::unique_ptr<topology::Stack> stack;
};

// gtest names allow no "-": "dev-threaded" is listed as dev_threaded.
inline std::string model_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace reqtrace::testing
