#include "sim/flask/multidict.hpp"

#include "sim/flask/http_exceptions.hpp"

namespace reqtrace::flask {

std::optional<std::string> MultiDict::get(std::string_view key) const {
  for (const auto& [name, value] : items_)
    if (name == key) return value;
  return std::nullopt;
}

std::vector<std::string> MultiDict::getlist(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [name, value] : items_)
    if (name == key) out.push_back(value);
  return out;
}

const std::string& MultiDict::operator[](std::string_view key) const {
  for (const auto& [name, value] : items_)
    if (name == key) return value;
  throw BadRequestKeyError(std::string(key));
}

}  // namespace reqtrace::flask
