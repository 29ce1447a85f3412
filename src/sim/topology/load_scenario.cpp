#include "sim/topology/load_scenario.hpp"

#include <nlohmann/json.hpp>
#include <utility>

#include "sim/flask/rule.hpp"

namespace reqtrace::topology {

scenario::RuleReading read_rule(const std::string& rule) {
  flask::RuleCheck check = flask::check_rule(rule);
  return {std::move(check.arguments), std::move(check.errors)};
}

scenario::Loaded load_file(const std::filesystem::path& path) {
  return scenario::load_file(path, read_rule);
}

scenario::Loaded load_text(const std::string& text, const std::string& file) {
  return scenario::load_text(text, file, read_rule);
}

scenario::Loaded load_json(const nlohmann::json& document, const std::string& file) {
  return scenario::load_json(document, file, read_rule);
}

}  // namespace reqtrace::topology
