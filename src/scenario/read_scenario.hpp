// Reading a parsed scenario document into the model, checking it against the format.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "scenario/scenario.hpp"

namespace reqtrace::scenario {

class Checker;

// Reports every problem to the checker; the scenario returned is only whole when none was found.
Scenario read_scenario(Checker& checker, const nlohmann::json& document);

}  // namespace reqtrace::scenario
