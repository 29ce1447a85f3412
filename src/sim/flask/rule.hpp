// Werkzeug's Rule: one URL pattern, the endpoint it names and the methods it accepts.
#pragma once

#include <compare>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/flask/converters.hpp"

namespace reqtrace::flask {

// Python identifiers, as rule variables and body placeholders are named: [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier_start(char c);
bool is_identifier_char(char c);

// How the matcher orders the dynamic parts it may try at one point (lowest first):
// more static text first, then longer static text, then more variables, then
// lighter converters (int before string before path). The fields and their order
// are Werkzeug's, and are compared the way Python compares the tuple.
struct Weighting {
  int number_static_weights = 0;                    // -(number of static pieces)
  std::vector<std::pair<int, int>> static_weights;  // (index, -length) per static piece
  int number_argument_weights = 0;                  // -(number of variables)
  std::vector<int> argument_weights;                // each converter's weight
  auto operator<=>(const Weighting&) const = default;
  bool operator==(const Weighting&) const = default;
};

// One step of a rule through the matcher: a path segment, or, once a path
// converter appears, everything from there to the end of the path.
struct RulePart {
  struct Piece {
    enum class Kind { Static, Converter, OptionalSlash } kind = Kind::Static;
    std::string text;                          // Static: the literal text
    const BaseConverter* converter = nullptr;  // Converter: owned by the rule
  };

  std::vector<Piece> pieces;
  std::string content;    // static: the literal segment; else Werkzeug's regex for the part
  bool is_static = true;  // no variable: the matcher looks it up instead of trying it
  bool final = false;     // holds a path converter: it consumes the rest of the path
  bool suffixed =
      false;  // final and ends in "/": the slash is optional so its absence can redirect
  Weighting weight;

  // Whether the whole of `target` matches; appends each variable's raw text to
  // `values`. For a suffixed part, `slash` tells whether the trailing "/" was there.
  bool match(std::string_view target, std::vector<std::string>& values, bool& slash) const;

  // Parts that compare equal share one state in the matcher, as in Werkzeug.
  bool operator==(const RulePart& other) const {
    return content == other.content && is_static == other.is_static && final == other.final &&
           suffixed == other.suffixed && weight == other.weight;
  }
};

class Rule {
 public:
  // Rule("/post/<int:post_id>", "post", {"GET"}). Giving GET adds HEAD, as
  // Werkzeug does; no methods at all means every method. Throws
  // std::invalid_argument at the rule's first problem, as check_rule words it.
  Rule(std::string rule, std::string endpoint, std::vector<std::string> methods = {},
       bool strict_slashes = true, bool merge_slashes = true);
  Rule(Rule&&) = default;
  Rule& operator=(Rule&&) = default;

  const std::string& rule() const { return rule_; }  // as written: "/user/<name>"
  const std::string& endpoint() const { return endpoint_; }
  const std::set<std::string>& methods() const { return methods_; }  // empty: any method
  bool accepts(std::string_view method) const;
  // "/docs/" asked for as "/docs" redirects; "/secret" asked for as "/secret/" is a 404.
  bool strict_slashes() const { return strict_slashes_; }
  bool merge_slashes() const { return merge_slashes_; }
  // The variables, in the order they appear, each with its converter.
  const std::vector<std::pair<std::string, std::unique_ptr<BaseConverter>>>& converters() const {
    return converters_;
  }
  std::vector<std::string> arguments() const;
  const std::vector<RulePart>& parts() const { return parts_; }

  // Set by Flask.add_url_rule when OPTIONS was added for the app to answer itself.
  bool provide_automatic_options = false;

 private:
  void parse(std::string_view rule);

  std::string rule_;
  std::string endpoint_;
  std::set<std::string> methods_;
  bool strict_slashes_;
  bool merge_slashes_;
  std::vector<std::pair<std::string, std::unique_ptr<BaseConverter>>> converters_;
  std::vector<RulePart> parts_;
};

// A rule read as Rule would read it, without stopping at the first problem: for a scenario's
// author, who wants every mistake in one pass. This and Rule share one parser.
struct RuleCheck {
  std::vector<std::string> arguments;  // the variables, in order, when there is no problem
  std::vector<std::string> errors;     // one sentence each, saying what was expected
};
RuleCheck check_rule(std::string_view rule);

}  // namespace reqtrace::flask
