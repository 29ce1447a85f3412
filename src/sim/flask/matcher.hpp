// Werkzeug 2.2's StateMachineMatcher: the rules as a tree of states, one step per path segment.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/flask/converters.hpp"
#include "sim/flask/rule.hpp"

namespace reqtrace::flask {

// Matching walks the request path's segments from the root state. At each state
// it follows the static transition for the segment first (a dictionary lookup),
// then tries the dynamic ones in weight order, and backtracks when a branch
// leads nowhere. No regex runs per request.
class StateMachineMatcher {
 public:
  struct Result {
    enum class Kind {
      Matched,      // rule and view_args are set
      NoMatch,      // have_match_for: methods of rules that matched the path but not the method
      RequestPath,  // ask again at `path`: the rule wants a trailing slash, or slashes were merged
    } kind = Kind::NoMatch;
    const Rule* rule = nullptr;
    ViewArgs view_args;
    std::set<std::string> have_match_for;
    std::string path;
    bool slash_required = false;  // RequestPath because of a trailing slash (else merged slashes)
    bool converter_refused = false;  // NoMatch because a converter's to_python refused a value
  };

  explicit StateMachineMatcher(bool merge_slashes = true) : merge_slashes_(merge_slashes) {}
  StateMachineMatcher(const StateMachineMatcher&) = delete;
  StateMachineMatcher& operator=(const StateMachineMatcher&) = delete;

  // The rule must outlive the matcher. Sorting happens here, not per request, so
  // matching only reads and is safe from many threads at once.
  void add(const Rule& rule);
  Result match(std::string_view path, std::string_view method) const;

 private:
  struct State {
    std::map<std::string, std::unique_ptr<State>, std::less<>> static_transitions;
    std::vector<std::pair<const RulePart*, std::unique_ptr<State>>> dynamic_transitions;
    std::vector<const Rule*> rules;
  };
  struct Walk;

  static void sort_dynamic(State& state);

  State root_;
  bool merge_slashes_;
};

}  // namespace reqtrace::flask
