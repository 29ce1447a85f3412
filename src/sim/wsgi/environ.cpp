#include "sim/wsgi/environ.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace reqtrace::wsgi {

std::optional<std::string_view> Environ::get(std::string_view key) const {
  auto found = vars.find(std::string(key));
  if (found == vars.end()) return std::nullopt;
  return found->second;
}

std::string Environ::get_or(std::string_view key, std::string_view fallback) const {
  return std::string(get(key).value_or(fallback));
}

int Environ::request_number() const {
  const auto text = get("reqtrace.req");
  if (!text) return 0;
  int number = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
  if (error != std::errc() || end != text->data() + text->size()) return 0;
  return number;
}

nlohmann::json Environ::to_json() const {
  // Values are shown as a Python programmer would print them, so the non-string
  // keys read as what they are in a real environ.
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : vars) out[key] = value;
  out["wsgi.version"] =
      "(" + std::to_string(version_major) + ", " + std::to_string(version_minor) + ")";
  out["wsgi.input"] = "<input stream: " + std::to_string(input.size()) + " bytes>";
  out["wsgi.errors"] = "<error stream>";
  out["wsgi.multithread"] = multithread ? "True" : "False";
  out["wsgi.multiprocess"] = multiprocess ? "True" : "False";
  out["wsgi.run_once"] = run_once ? "True" : "False";
  return out;
}

}  // namespace reqtrace::wsgi
