#include "sim/python/wsgi_target.hpp"

#include <algorithm>
#include <cctype>

namespace reqtrace::python {

namespace {

bool is_identifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

std::optional<WsgiTarget> parse_wsgi_target(std::string_view spec,
                                            const std::filesystem::path& base, std::string& error) {
  const std::string expected = "expected FILE.py or FILE.py:NAME, NAME a Python identifier";
  // The last ':' splits, so a file name may hold one; a ':' followed by a path is a file.
  std::string_view file = spec, name;
  if (const auto colon = spec.rfind(':'); colon != std::string_view::npos) {
    file = spec.substr(0, colon);
    name = spec.substr(colon + 1);
    if (!is_identifier(name)) {
      error = "\"" + std::string(spec) + "\": \"" + std::string(name) +
              "\" is not a callable's name; " + expected;
      return std::nullopt;
    }
  }
  if (file.size() < 4 || file.substr(file.size() - 3) != ".py") {
    error = "\"" + std::string(spec) + "\": " + expected;
    return std::nullopt;
  }
  std::filesystem::path path(file);
  if (path.is_relative()) path = base / path;
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    error = path.string() + ": no such file (the WSGI app's module)";
    return std::nullopt;
  }
  return WsgiTarget{std::filesystem::absolute(path).lexically_normal(), std::string(name)};
}

}  // namespace reqtrace::python
