// Loading a scenario to run it: each rule is read by the app's own parser, and every problem is
// reported at its file:line:col and JSON pointer, as the scenario module's other checks are.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/flask/middleware.hpp"
#include "sim/topology/load_scenario.hpp"
#include "support/scenario_problems.hpp"

namespace reqtrace::topology {
namespace {

using Strings = std::vector<std::string>;
using nlohmann::json;

Strings problems(const std::string& text) {
  return testing::problem_lines(load_text(text, "s.json"));
}

// A scenario of one route, checked without positions: for rules where the place in the file
// is not the point.
Strings one_route(const std::string& rule, json returns = json::object()) {
  const json document = {
      {"id", "x"},
      {"title", "T"},
      {"app", {{"routes", {{{"rule", rule}, {"endpoint", "e"}, {"returns", returns}}}}}},
      {"requests", {{{"path", "/"}}}}};
  return testing::problem_lines(load_json(document, "s.json"));
}

TEST(LoadScenario, EveryConverterTheAppHasValidates) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/order/<uuid:id>", "endpoint": "order", "returns": {"body": "{id}"}},
                     {"rule": "/<any(about, help):page>/<path:rest>", "endpoint": "page"},
                     {"rule": "/n/<int(min=1):n>/<float:x>/<string(length=2):lang>",
                      "endpoint": "n"}]},
  "requests": [{"path": "/"}]
})"),
            Strings{});
}

TEST(LoadScenario, RuleSyntaxIsReportedWhereTheRuleIs) {
  EXPECT_EQ(problems(R"({"id": "Hello World", "title": "T",
  "app": {"routes": [{"rule": "user/<name>", "endpoint": "a"},
                     {"rule": "/<integer:id>/<a>/<a>", "endpoint": "b"}]},
  "requests": [{"path": "/"}]
})"),
            (Strings{"s.json:1:8: /id: expected an id of lowercase letters, digits and \"-\", got "
                     "\"Hello World\"",
                     "s.json:2:31: /app/routes/0/rule: expected a rule starting with \"/\", got "
                     "\"user/<name>\"",
                     "s.json:3:31: /app/routes/1/rule: in \"<integer:id>\": unknown converter "
                     "\"integer\"; expected one of: string, int, float, path, any, uuid",
                     "s.json:3:31: /app/routes/1/rule: variable \"a\" appears twice; each variable "
                     "of a rule needs its own name"}));
}

TEST(LoadScenario, ABadConverterIsRefusedAtItsPlace) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"},
                     {"rule": "/p/<int(bogus=1):n>", "endpoint": "p"}]},
  "requests": [{"path": "/"}]
})"),
            Strings{"s.json:3:31: /app/routes/1/rule: in \"<int(bogus=1):n>\": the int converter "
                    "has no argument \"bogus\"; expected one of: fixed_digits, min, max, signed"});
  EXPECT_EQ(one_route("/<uuid(4):id>"),
            Strings{"s.json: /app/routes/0/rule: in \"<uuid(4):id>\": the uuid converter takes no "
                    "arguments, got 1"});
}

TEST(LoadScenario, BodyPlaceholdersNameRuleVariables) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [
    {"rule": "/user/<name>", "endpoint": "user", "returns": {"body": "Hi {nmae}, {name}!"}}
  ]},
  "requests": [{"path": "/"}]
})"),
            Strings{"s.json:3:70: /app/routes/0/returns/body: \"{nmae}\" names no variable of rule "
                    "/user/<name>; expected one of: name"});
  auto with_returns = [](json returns) { return one_route("/user/<name>", std::move(returns)); };
  EXPECT_EQ(with_returns({{"body", "{msg} by {name}"}, {"echo", "msg"}}), Strings{});
  EXPECT_EQ(with_returns({{"body", "{\"json\": true} { name } {}"}}), Strings{});
  EXPECT_EQ(with_returns({{"body", "{x}{x}"}, {"echo", "msg"}}),
            Strings{"s.json: /app/routes/0/returns/body: \"{x}\" names no variable of rule "
                    "/user/<name>; expected one of: name, msg"});
  EXPECT_EQ(one_route("/", {{"body", "{x}"}}),
            Strings{"s.json: /app/routes/0/returns/body: \"{x}\" names no variable of rule /, "
                    "which has none"});
  // A broken rule is reported once, not again through its placeholders.
  EXPECT_EQ(one_route("/user/<nme", {{"body", "Hi {name}"}}).size(), 1u);
}

// The middleware a scenario may name are the ones the app builds.
TEST(LoadScenario, MiddlewareNamesAreTheAppsOwn) {
  std::vector<std::string_view> format(std::begin(scenario::kMiddlewareNames),
                                       std::end(scenario::kMiddlewareNames));
  EXPECT_EQ(format, flask::middleware_names());
}

}  // namespace
}  // namespace reqtrace::topology
