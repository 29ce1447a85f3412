// Loading a scenario from a file or from JSON, with one precise message per problem.
#pragma once

#include <filesystem>
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

// Reads JSON with // and /* */ comments allowed; `file` names the source in messages.
Loaded load_file(const std::filesystem::path& path);
Loaded load_text(const std::string& text, const std::string& file);
// From a document already parsed (a trace header's embedded scenario).
Loaded load_json(const nlohmann::json& document, const std::string& file);

}  // namespace reqtrace::scenario
