// The imitation against the oracle: flask-routing's and flask-internals' requests through the
// C++ Flask and through the same routes written as a real Flask app (scenarios/apps), in the
// same server model; each request's app steps, in order, must be the same.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/load.hpp"
#include "support/recorded_run.hpp"

namespace reqtrace::python {
namespace {

using testing::run_scenario;

scenario::Scenario load(const std::string& name) {
  auto loaded = scenario::load_file(std::string(REQTRACE_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(loaded) << (loaded.problems.empty() ? "" : loaded.problems[0].to_string());
  return *loaded.scenario;
}

// Each request's app steps and level-3 events, as "actor phase" and the real values the step
// shows (endpoint, view_args, the routing error, the view's return value, the status), in order.
using Steps = std::map<int, std::vector<std::string>>;

Steps steps_of(const std::vector<trace::Event>& events) {
  Steps out;
  for (const auto& event : events) {
    if (event.req == 0) continue;
    if (event.actor != trace::Actor::App && event.level < trace::kFrameworkInternals) continue;
    std::string step =
        std::string(trace::name_of(event.actor)) + " " + std::string(trace::name_of(event.phase));
    // The values both read from the request and the response, where the step has them.
    const auto data =
        event.data.empty() ? nlohmann::json::object() : nlohmann::json::parse(event.data);
    for (const char* key : {"endpoint", "view_args", "routing_exception", "valid_methods",
                            "new_url", "returned", "exception"}) {
      if (!data.contains(key)) continue;
      std::string value = data[key].dump();
      if (std::string_view(key) == "new_url")  // each run's server has a port of its own
        value = value.substr(value.find('/', value.find("//") + 2));
      step += std::string(" ") + key + "=" + value;
    }
    if (event.phase == trace::Phase::MakeResponse) step += " status=" + data["status"].dump();
    out[event.req].push_back(step);
  }
  return out;
}

// The rules the import added, without Flask.__init__'s /static one (the imitation has no static
// folder) and without the url_map summary.
std::vector<std::string> rules_of(const std::vector<trace::Event>& events) {
  std::vector<std::string> out;
  for (const auto& event : events) {
    if (event.req != 0 || event.phase != trace::Phase::AddUrlRule) continue;
    const auto data = nlohmann::json::parse(event.data);
    if (!data.contains("rule") || data["endpoint"] == "static") continue;
    out.push_back(data["rule"].get<std::string>() + " " + data["methods"].dump());
  }
  return out;
}

std::string shown(const std::vector<std::string>& steps) {
  std::ostringstream out;
  for (const auto& step : steps) out << "\n    " << step;
  return out.str();
}

void expect_imitation_matches(const std::string& scenario_name, const std::string& wsgi) {
  const auto imitation = load(scenario_name);
  auto real = imitation;
  real.wsgi = wsgi;  // the same requests, stack and server; the app is the real Flask file
  real.routes.clear();
  const auto imitated = run_scenario(imitation);
  const auto oracle = run_scenario(real);
  ASSERT_EQ(oracle.exchanges.size(), imitation.requests.size());
  for (std::size_t i = 0; i < oracle.exchanges.size(); ++i) {
    EXPECT_EQ(imitated.exchanges[i].response.status, oracle.exchanges[i].response.status)
        << "request " << i + 1;
  }
  const Steps want = steps_of(oracle.events);
  const Steps got = steps_of(imitated.events);
  ASSERT_EQ(want.size(), imitation.requests.size());
  for (const auto& [req, steps] : want) {
    const auto found = got.find(req);
    ASSERT_NE(found, got.end()) << "request " << req;
    EXPECT_EQ(found->second, steps) << "request " << req << "\n  real Flask:" << shown(steps)
                                    << "\n  imitation:" << shown(found->second);
  }
  EXPECT_EQ(rules_of(imitated.events), rules_of(oracle.events));
}

TEST(Oracle, FlaskRoutingImitationMatchesRealFlask) {
  expect_imitation_matches("flask-routing.json", "apps/flask_routing.py:app");
}

TEST(Oracle, FlaskInternalsImitationMatchesRealFlask) {
  expect_imitation_matches("flask-internals.json", "apps/flask_internals.py:app");
}

}  // namespace
}  // namespace reqtrace::python
