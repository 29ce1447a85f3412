// Loading a scenario to run it: the scenario module's checks, each rule read by the app's parser.
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "scenario/load.hpp"

namespace reqtrace::topology {

// Werkzeug's rule syntax as the app itself reads it (flask::check_rule): the one parser, so a
// rule the validator accepts is one the url_map builds, and the other way round.
scenario::RuleReading read_rule(const std::string& rule);

// scenario::load_file, load_text and load_json with read_rule: what validate, run, serve, gui
// and quiz load, so a rule the app would refuse is reported at its place before anything starts.
scenario::Loaded load_file(const std::filesystem::path& path);
scenario::Loaded load_text(const std::string& text, const std::string& file);
scenario::Loaded load_json(const nlohmann::json& document, const std::string& file);

}  // namespace reqtrace::topology
