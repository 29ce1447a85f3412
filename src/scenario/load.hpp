// Loading a scenario from a file or from JSON, with one precise message per problem.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "scenario/scenario.hpp"

namespace reqtrace::scenario {

// One problem found in a file: where it is and what was expected there.
struct Problem {
  std::string file;
  int line = 0;  // 1-based; 0 when the place has no position (e.g. a missing key: the object's)
  int column = 0;
  std::string pointer;            // JSON pointer, "" for the whole document
  std::string message;            // what was expected, in a sentence
  std::string to_string() const;  // "file:line:col: /pointer: message"
};

// Either a scenario or every problem found; never half a scenario.
struct Loaded {
  std::optional<Scenario> scenario;
  std::vector<Problem> problems;
  explicit operator bool() const { return scenario.has_value(); }
};

// What the app that serves a route makes of its rule: the rule's variables, in order, or every
// reason it refuses the rule. The rule syntax is the app's (Werkzeug's, parsed next to its
// url_map in sim/flask); the loader asks through this and reports each reason at the rule.
struct RuleReading {
  std::vector<std::string> variables;
  std::vector<std::string> errors;  // one sentence each, saying what was expected
};
using RuleReader = std::function<RuleReading(const std::string& rule)>;

// Reads JSON with // and /* */ comments allowed; `file` names the source in messages. Without
// `read_rule` only the shape is checked: each rule is a string, and body placeholders are not
// matched to the rule's variables. Loading to run, serve or validate goes through
// topology/load_scenario.hpp, which passes the app's own rule parser.
Loaded load_file(const std::filesystem::path& path, const RuleReader& read_rule = {});
Loaded load_text(const std::string& text, const std::string& file,
                 const RuleReader& read_rule = {});
// From a document already parsed (a trace header's embedded scenario).
Loaded load_json(const nlohmann::json& document, const std::string& file,
                 const RuleReader& read_rule = {});

}  // namespace reqtrace::scenario
