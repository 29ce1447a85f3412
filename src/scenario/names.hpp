// The shapes of names the format allows: scenario ids, identifiers, HTTP tokens, tracked vars.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reqtrace::scenario {

// Lowercase letters, digits and "-": the id doubles as a file and URL name.
bool is_scenario_id(std::string_view text);

// A Python identifier, ASCII only: a letter or "_", then letters, digits and "_".
bool is_identifier(std::string_view text);

// An HTTP token (RFC 9110 section 5.6.2), as method and header names must be.
bool is_token(std::string_view text);

// Lowercase identifiers joined by dots, at least two: "server.state", "response.sent".
bool is_dotted_name(std::string_view text);

// A CR or LF would end a header line early, so header values may not hold one.
bool has_line_break(std::string_view text);

// "a, b, c": the names an error message offers.
std::string comma_list(const std::vector<std::string>& names);

// The same shapes as checks for Checker's reads: "" when fine, otherwise what was expected.
std::string expect_identifier(const std::string& text);
std::string expect_header_name(const std::string& name);
std::string expect_header_value(const std::string& value);

}  // namespace reqtrace::scenario
