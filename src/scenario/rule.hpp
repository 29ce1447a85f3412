// Werkzeug's rule syntax ("/user/<name>", "/post/<int:post_id>"), split into parts and checked.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace reqtrace::scenario {

// The converters a rule may name; Werkzeug's uuid is left out.
inline constexpr std::array<std::string_view, 5> kConverters = {"string", "int", "float", "path",
                                                                "any"};

// Static text, or a variable: <name>, <converter:name> or <converter(arguments):name>.
struct RulePart {
  std::string text;       // the static text; empty for a variable
  std::string variable;   // the variable's name; empty for static text
  std::string converter;  // "string" when the rule names none, as Werkzeug's default converter is
  std::string arguments;  // between the converter's parentheses: "about, help" for any(about, help)
  bool is_variable() const { return !variable.empty(); }
};

struct ParsedRule {
  std::vector<RulePart> parts;
  std::vector<std::string> errors;  // one sentence each; empty when the rule is valid
  std::vector<std::string> variables() const;
};

ParsedRule parse_rule(std::string_view rule);

}  // namespace reqtrace::scenario
