#include "sim/flask/matcher.hpp"

#include <algorithm>

namespace reqtrace::flask {
namespace {

// Raised from deep in the walk when only the trailing-slash version of the path matches.
struct SlashRequired {};

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(path.substr(start));
      return parts;
    }
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

// One attempt at matching a path: the method, and what was learnt on the way.
struct StateMachineMatcher::Walk {
  std::string_view method;
  std::set<std::string> have_match_for;

  struct Found {
    const Rule* rule = nullptr;
    std::vector<std::string> values;
  };

  // Werkzeug's _match(state, parts, values), with parts[first:] as its `parts`.
  bool run(const State& state, const std::vector<std::string_view>& parts, std::size_t first,
           std::vector<std::string>& values, Found& found) {
    if (first == parts.size()) {
      for (const Rule* rule : state.rules) {
        if (!rule->accepts(method)) {
          have_match_for.insert(rule->methods().begin(), rule->methods().end());
        } else {
          found = {rule, values};
          return true;
        }
      }
      // Only the path with a trailing slash would match: say so.
      if (const auto slash = state.static_transitions.find("");
          slash != state.static_transitions.end()) {
        for (const Rule* rule : slash->second->rules) {
          if (!rule->accepts(method)) continue;
          if (rule->strict_slashes()) throw SlashRequired();
          found = {rule, values};
          return true;
        }
      }
      return false;
    }

    const std::string_view part = parts[first];
    if (const auto next = state.static_transitions.find(part);
        next != state.static_transitions.end())
      if (run(*next->second, parts, first + 1, values, found)) return true;

    for (const auto& [test_part, next] : state.dynamic_transitions) {
      std::string joined;
      std::string_view target = part;
      std::size_t remaining = first + 1;
      if (test_part->final) {
        // A path converter's part takes the rest of the path: "/".join(parts).
        for (std::size_t i = first; i < parts.size(); ++i)
          (joined += i == first ? "" : "/") += parts[i];
        target = joined;
        remaining = parts.size();
      }
      const std::size_t before = values.size();
      bool slash = false;
      if (!test_part->match(target, values, slash)) continue;
      if (test_part->suffixed && slash) {
        // The optional trailing slash was there: what remains is the empty last segment.
        static const std::vector<std::string_view> kTrailing = {""};
        if (run(*next, kTrailing, 0, values, found)) return true;
      } else if (run(*next, parts, remaining, values, found)) {
        return true;
      }
      values.resize(before);
    }

    // Only an empty last segment is left: a rule without strict_slashes takes it.
    if (first + 1 == parts.size() && part.empty()) {
      for (const Rule* rule : state.rules) {
        if (rule->strict_slashes()) continue;
        if (!rule->accepts(method)) {
          have_match_for.insert(rule->methods().begin(), rule->methods().end());
        } else {
          found = {rule, values};
          return true;
        }
      }
    }
    return false;
  }

  // Returns false for no match; throws SlashRequired.
  bool match(const State& root, std::string_view path, Found& found) {
    const std::vector<std::string_view> parts = split_path(path);
    std::vector<std::string> values;
    return run(root, parts, 0, values, found);
  }
};

void StateMachineMatcher::add(const Rule& rule) {
  State* state = &root_;
  for (const RulePart& part : rule.parts()) {
    if (part.is_static) {
      auto& next = state->static_transitions[part.content];
      if (!next) next = std::make_unique<State>();
      state = next.get();
      continue;
    }
    auto shared = std::find_if(state->dynamic_transitions.begin(), state->dynamic_transitions.end(),
                               [&](const auto& entry) { return *entry.first == part; });
    if (shared == state->dynamic_transitions.end()) {
      state->dynamic_transitions.emplace_back(&part, std::make_unique<State>());
      shared = std::prev(state->dynamic_transitions.end());
    }
    state = shared->second.get();
  }
  state->rules.push_back(&rule);
  sort_dynamic(root_);
}

void StateMachineMatcher::sort_dynamic(State& state) {
  // Stable, like Python's sort: equal weights keep the order the rules were added in.
  std::stable_sort(state.dynamic_transitions.begin(), state.dynamic_transitions.end(),
                   [](const auto& a, const auto& b) { return a.first->weight < b.first->weight; });
  for (auto& [content, next] : state.static_transitions) sort_dynamic(*next);
  for (auto& [part, next] : state.dynamic_transitions) sort_dynamic(*next);
}

StateMachineMatcher::Result StateMachineMatcher::match(std::string_view path,
                                                       std::string_view method) const {
  Result result;
  Walk walk{method, {}};
  Walk::Found found;
  std::string current(path);
  bool matched = false;
  try {
    matched = walk.match(root_, current, found);
  } catch (const SlashRequired&) {
    result.kind = Result::Kind::RequestPath;
    result.path = current + "/";
    result.slash_required = true;
    return result;
  }

  if (!matched && merge_slashes_ && current.find("//") != std::string::npos) {
    // Try again with repeated slashes merged; a match there is a redirect to that path.
    std::string merged;
    for (const char c : current)
      if (c != '/' || merged.empty() || merged.back() != '/') merged.push_back(c);
    try {
      matched = walk.match(root_, merged, found);
    } catch (const SlashRequired&) {
      result.kind = Result::Kind::RequestPath;
      result.path = merged + "/";
      result.slash_required = true;
      return result;
    }
    if (matched && found.rule->merge_slashes()) {
      result.kind = Result::Kind::RequestPath;
      result.path = merged;
      return result;
    }
    matched = false;
  }

  if (matched) {
    // Converters run after the walk: a value the pattern accepted but to_python
    // refuses fails the whole match, as in Werkzeug 2.2.
    std::size_t index = 0;
    try {
      for (const auto& [name, converter] : found.rule->converters())
        result.view_args[name] = converter->to_python(found.values.at(index++));
      result.kind = Result::Kind::Matched;
      result.rule = found.rule;
      return result;
    } catch (const ValidationError&) {
      result.view_args.clear();
      result.converter_refused = true;
    }
  }
  result.kind = Result::Kind::NoMatch;
  result.have_match_for = std::move(walk.have_match_for);
  return result;
}

}  // namespace reqtrace::flask
