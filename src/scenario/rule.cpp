#include "scenario/rule.hpp"

#include <algorithm>

#include "scenario/checker.hpp"
#include "scenario/names.hpp"

namespace reqtrace::scenario {
namespace {

std::string converter_list() {
  std::string list;
  for (std::string_view name : kConverters) list += (list.empty() ? "" : ", ") + std::string(name);
  return list;
}

// The inside of "<...>"; errors name the whole placeholder so the author can find it.
void parse_variable(std::string_view inner, ParsedRule& parsed) {
  std::string shown = in_quotes("<" + std::string(inner) + ">");
  RulePart part;
  part.converter = "string";

  // A name cannot hold ':', so the last one ends the converter, even if its arguments hold one.
  std::size_t colon = inner.rfind(':');
  std::string_view name = colon == std::string_view::npos ? inner : inner.substr(colon + 1);
  if (colon != std::string_view::npos) {
    std::string_view spec = inner.substr(0, colon);
    std::size_t open = spec.find('(');
    std::string_view converter = spec.substr(0, open);
    if (open != std::string_view::npos) {
      if (spec.back() != ')') {
        parsed.errors.push_back("in " + shown +
                                ": expected ')' to close the converter's arguments");
        return;
      }
      part.arguments = std::string(spec.substr(open + 1, spec.size() - open - 2));
    }
    if (std::find(kConverters.begin(), kConverters.end(), converter) == kConverters.end()) {
      parsed.errors.push_back("in " + shown + ": unknown converter " + in_quotes(converter) +
                              "; expected one of: " + converter_list());
      return;
    }
    part.converter = std::string(converter);
    // Werkzeug's any matches one of its arguments; with none it could match nothing.
    if (converter == "any" && part.arguments.find_first_not_of(" ,") == std::string::npos) {
      parsed.errors.push_back(
          "in " + shown + ": the any converter needs its choices, like <any(about, help):page>");
      return;
    }
  }
  if (!is_identifier(name)) {
    parsed.errors.push_back(
        "in " + shown +
        ": expected a variable name (letters, digits and _, not starting with a digit)" +
        (name.empty() ? "" : ", got " + in_quotes(name)));
    return;
  }
  part.variable = std::string(name);
  for (const RulePart& other : parsed.parts) {
    if (other.variable == part.variable) {
      parsed.errors.push_back("variable " + in_quotes(part.variable) +
                              " appears twice; each variable of a rule needs its own name");
      return;
    }
  }
  parsed.parts.push_back(std::move(part));
}

}  // namespace

std::vector<std::string> ParsedRule::variables() const {
  std::vector<std::string> names;
  for (const RulePart& part : parts)
    if (part.is_variable()) names.push_back(part.variable);
  return names;
}

ParsedRule parse_rule(std::string_view rule) {
  ParsedRule parsed;
  if (rule.empty() || rule.front() != '/') {
    parsed.errors.push_back("expected a rule starting with \"/\", got " + in_quotes(rule));
    return parsed;
  }
  std::size_t pos = 0;
  while (pos < rule.size()) {
    std::size_t open = rule.find('<', pos);
    if (open != pos) {
      RulePart text;
      text.text = std::string(rule.substr(pos, open - pos));
      parsed.parts.push_back(std::move(text));
    }
    if (open == std::string_view::npos) break;
    std::size_t close = rule.find('>', open);
    if (close == std::string_view::npos) {
      parsed.errors.push_back(in_quotes(rule.substr(open)) +
                              " is not closed; expected '>' to end the variable");
      break;
    }
    parse_variable(rule.substr(open + 1, close - open - 1), parsed);
    pos = close + 1;
  }
  return parsed;
}

}  // namespace reqtrace::scenario
