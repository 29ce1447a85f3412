#include "scenario/names.hpp"

#include "scenario/checker.hpp"

namespace reqtrace::scenario {
namespace {

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_lower_identifier(std::string_view text) {
  if (text.empty() || !(is_lower(text[0]) || text[0] == '_')) return false;
  for (char c : text)
    if (!(is_lower(c) || is_digit(c) || c == '_')) return false;
  return true;
}

}  // namespace

bool is_scenario_id(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!(is_lower(c) || is_digit(c) || c == '-')) return false;
  return true;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || is_digit(text[0])) return false;
  for (char c : text)
    if (!(is_lower(c) || is_upper(c) || is_digit(c) || c == '_')) return false;
  return true;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool tchar = is_lower(c) || is_upper(c) || is_digit(c) ||
                 std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!tchar) return false;
  }
  return true;
}

bool is_dotted_name(std::string_view text) {
  std::size_t parts = 0;
  while (true) {
    std::size_t dot = text.find('.');
    if (!is_lower_identifier(text.substr(0, dot))) return false;
    ++parts;
    if (dot == std::string_view::npos) return parts >= 2;
    text.remove_prefix(dot + 1);
  }
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

std::string comma_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string expect_identifier(const std::string& text) {
  if (is_identifier(text)) return "";
  return "expected an identifier (letters, digits and _, not starting with a digit), got " +
         in_quotes(text);
}

std::string expect_header_name(const std::string& name) {
  if (is_token(name)) return "";
  return "expected a header name made of letters, digits and !#$%&'*+-.^_`|~, got " +
         in_quotes(name);
}

std::string expect_header_value(const std::string& value) {
  if (!has_line_break(value)) return "";
  return "expected a header value on one line, without CR or LF";
}

}  // namespace reqtrace::scenario
