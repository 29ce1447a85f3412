// Reading a parsed scenario document into the model, checking it against the format.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "scenario/load.hpp"
#include "scenario/scenario.hpp"

namespace reqtrace::scenario {

class Checker;

// Reports every problem to the checker; the scenario returned is only whole when none was found.
// Rules are checked by `read_rule` when given (see load.hpp).
Scenario read_scenario(Checker& checker, const nlohmann::json& document,
                       const RuleReader& read_rule);

}  // namespace reqtrace::scenario
