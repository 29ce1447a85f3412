// "app": the app the scenario serves, one of:
//   {"routes": [route, ...]}  the C++ Flask app with these routes, one at least;
//   {"wsgi": "FILE.py[:NAME]"}  a real Python WSGI app (a Flask app, or any), FILE relative to the
//                       scenario file's folder, NAME the callable (default: app, else application).
//                       The file is looked for, and imported, when the scenario runs.
//
// A route, as @app.route() declares it:
//   "rule"            required; a string starting with "/" in Werkzeug's syntax: static text and
//                     variables <name>, <converter:name> or <converter(arguments):name>. The
//                     converter is string, int, float, path, any or uuid (any lists its choices
//                     as arguments); names are identifiers, each used once in the rule. The
//                     syntax is checked by the app's own parser, given as a RuleReader.
//   "endpoint"        required; an identifier, unique among the routes (Flask's url_for name).
//   "methods"         a non-empty array of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, each
//                     once; default ["GET"].
//   "strict_slashes"  true or false, default true.
//   "returns"         what the view does, default {}:
//       "body"          a string; "{name}" must name a variable of the rule or the "echo" field,
//                       whose value fills it in. Other braces ("{ }", "{"a": 1}") are text.
//       "status"        an integer from 100 to 599, default 200
//       "headers"       an object: header name (an HTTP token) -> value (a string without CR or LF)
//                       (in name order: a parsed JSON object does not keep the file's order)
//       "content_type"  a string without CR or LF, default "text/html; charset=utf-8"
//       "delay_ms"      an integer from 0 to 60000, default 0: the view sleeps first
//       "raise"         an identifier: the Python exception class the view raises
//       "echo"          a non-empty string: the form field whose value fills "{<echo>}"
//       "stream"        an array of strings: the view yields them one by one
#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>

#include "scenario/checker.hpp"
#include "scenario/names.hpp"
#include "scenario/sections.hpp"

namespace reqtrace::scenario {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 7> kMethods = {"GET",    "POST", "PUT",    "PATCH",
                                                      "DELETE", "HEAD", "OPTIONS"};

std::string check_route_method(const std::string& method) {
  if (std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end()) return "";
  return "expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, got " + in_quotes(method);
}

// The "{name}" placeholders of a body, each once: braces around an identifier, nothing else.
std::vector<std::string> placeholders(std::string_view body) {
  std::vector<std::string> names;
  for (std::size_t open = body.find('{'); open != std::string_view::npos;
       open = body.find('{', open + 1)) {
    std::size_t close = body.find('}', open);
    if (close == std::string_view::npos) break;
    std::string_view name = body.substr(open + 1, close - open - 1);
    if (is_identifier(name) && std::find(names.begin(), names.end(), name) == names.end())
      names.emplace_back(name);
  }
  return names;
}

Returns read_returns(Checker& checker, const json& value, const std::string& pointer,
                     const std::string& rule, const std::optional<std::vector<std::string>>& vars) {
  Returns returns;
  Fields fields(
      checker, value, pointer,
      {"body", "status", "headers", "content_type", "delay_ms", "raise", "echo", "stream"});
  bool has_body = fields.read("body", Need::Optional, returns.body);
  fields.read("status", Need::Optional, returns.status, 100, 599);
  if (const json* headers = fields.get("headers")) {
    auto list = checker.string_map(*headers, fields.pointer("headers"), expect_header_name,
                                   expect_header_value);
    if (list) returns.headers = std::move(*list);
  }
  fields.read("content_type", Need::Optional, returns.content_type, expect_header_value);
  fields.read("delay_ms", Need::Optional, returns.delay_ms, 0, 60000);
  fields.read("raise", Need::Optional, returns.raise, expect_identifier);
  bool echo_ok = fields.read("echo", Need::Optional, returns.echo, [](const std::string& field) {
    return field.empty() ? std::string("expected the name of a form field, got \"\"") : "";
  });
  fields.read("stream", Need::Optional, returns.stream);

  // Placeholders are only checked against a rule that was read and parsed, and an echo that is
  // readable: otherwise the one mistake would be reported twice.
  bool echo_known = echo_ok || !fields.get("echo");
  if (!has_body || !vars || !echo_known) return returns;
  std::vector<std::string> names = *vars;
  if (!returns.echo.empty()) names.push_back(returns.echo);
  for (const std::string& name : placeholders(returns.body)) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::string message = "\"{" + name;
    message += "}\" names no variable of rule " + rule;
    message += names.empty() ? ", which has none" : "; expected one of: " + comma_list(names);
    checker.report(fields.pointer("body"), message);
  }
  return returns;
}

Route read_route(Checker& checker, const json& value, const std::string& pointer,
                 const RuleReader& read_rule) {
  Route route;
  Fields fields(checker, value, pointer,
                {"rule", "endpoint", "methods", "strict_slashes", "returns"});
  std::optional<std::vector<std::string>> vars;
  if (const json* rule = fields.get("rule", Need::Required)) {
    if (auto text = checker.string(*rule, fields.pointer("rule"))) {
      route.rule = *text;
      if (read_rule) {
        RuleReading reading = read_rule(*text);
        for (std::string& error : reading.errors)
          checker.report(fields.pointer("rule"), std::move(error));
        if (reading.errors.empty()) vars = std::move(reading.variables);
      }
    }
  }
  fields.read("endpoint", Need::Required, route.endpoint, expect_identifier);
  if (const json* methods = fields.get("methods")) {
    std::string at = fields.pointer("methods");
    if (auto list = checker.strings(*methods, at, check_route_method)) {
      if (list->empty()) checker.report(at, "expected at least one method, got an empty array");
      for (std::size_t i = 0; i < list->size(); ++i) {
        auto first = std::find(list->begin(), list->end(), (*list)[i]);
        if (first != list->begin() + static_cast<std::ptrdiff_t>(i))
          checker.report(element_pointer(at, i),
                         "method " + in_quotes((*list)[i]) + " is listed twice");
      }
      route.methods = std::move(*list);
    }
  }
  fields.read("strict_slashes", Need::Optional, route.strict_slashes);
  if (const json* returns = fields.get("returns"))
    route.returns = read_returns(checker, *returns, fields.pointer("returns"), route.rule, vars);
  return route;
}

}  // namespace

void read_app(Checker& checker, const json& value, const std::string& pointer,
              const RuleReader& read_rule, Scenario& scenario) {
  Fields fields(checker, value, pointer, {"routes", "wsgi"});
  if (value.is_object() && value.contains("wsgi")) {
    if (value.contains("routes"))
      checker.report(fields.pointer("routes"),
                     "expected either \"routes\" (the C++ Flask app) or \"wsgi\" (a real Python "
                     "app), not both");
    fields.read("wsgi", Need::Required, scenario.wsgi, [](const std::string& target) {
      if (!target.empty()) return std::string();
      return std::string("expected FILE.py or FILE.py:NAME, the real app's module and callable");
    });
    return;
  }
  const json* list = fields.get("routes", Need::Required);
  std::string at = fields.pointer("routes");
  if (!list || !checker.array(*list, at)) return;
  if (list->empty()) checker.report(at, "expected at least one route, got an empty array");

  std::map<std::string, std::string> endpoints;  // endpoint -> the route that has it first
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string route_at = element_pointer(at, i);
    Route route = read_route(checker, (*list)[i], route_at, read_rule);
    if (!route.endpoint.empty()) {
      auto [first, added] = endpoints.emplace(route.endpoint, route_at);
      // Flask refuses this too: url_for could not tell the two views apart.
      if (!added)
        checker.report(member_pointer(route_at, "endpoint"), "duplicate endpoint " +
                                                                 in_quotes(route.endpoint) + "; " +
                                                                 first->second + " already has it");
    }
    scenario.routes.push_back(std::move(route));
  }
}

}  // namespace reqtrace::scenario
