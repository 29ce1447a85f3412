// A parser's complaint about JSON text, turned into where it went wrong and what was expected.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace reqtrace::scenario {

struct ParseFailure {
  std::size_t offset = 0;  // into the text: the start of the token the parser could not take
  std::string message;     // "expected ',' or '}' after an object member, got \"b\""
};

// `what` and `byte` come from nlohmann::json's exception (byte 0 when it has none, as for a
// number too large for a double). The text is read again to find where the bad token starts,
// since the parser reports where it stopped reading.
ParseFailure describe_parse_error(std::string_view text, std::string_view what, std::size_t byte);

}  // namespace reqtrace::scenario
