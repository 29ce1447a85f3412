// The readers of the scenario format's sections, one file each, called in order by read_scenario.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scenario/load.hpp"
#include "scenario/scenario.hpp"

namespace reqtrace::scenario {

class Checker;

// Each reader reports every problem of its section and returns what it could read; the caller
// keeps the result only when no problem was found anywhere.
Topology read_topology(Checker& checker, const nlohmann::json& value, const std::string& pointer);
// Rules are checked by `read_rule` when given (see load.hpp). Sets the scenario's routes, or its
// wsgi app.
void read_app(Checker& checker, const nlohmann::json& value, const std::string& pointer,
              const RuleReader& read_rule, Scenario& scenario);
std::vector<Request> read_requests(Checker& checker, const nlohmann::json& value,
                                   const std::string& pointer);
std::vector<Tracked> read_track(Checker& checker, const nlohmann::json& value,
                                const std::string& pointer);
std::map<std::string, Narration> read_narration(Checker& checker, const nlohmann::json& value,
                                                const std::string& pointer);

// What the lesson sections point at elsewhere in the scenario.
struct LessonContext {
  std::optional<std::size_t> request_count;  // none when "requests" itself was unreadable
  std::vector<std::string> tracked;          // the vars of "track"
};

std::vector<Quiz> read_quizzes(Checker& checker, const nlohmann::json& value,
                               const std::string& pointer, const LessonContext& context);
std::vector<KeyMoment> read_key_moments(Checker& checker, const nlohmann::json& value,
                                        const std::string& pointer, const LessonContext& context);

}  // namespace reqtrace::scenario
