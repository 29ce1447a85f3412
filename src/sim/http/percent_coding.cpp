#include "sim/http/percent_coding.hpp"

#include "sim/http/syntax.hpp"

namespace reqtrace::http {

std::string percent_decode(std::string_view text, bool* malformed) {
  std::string out;
  out.reserve(text.size());
  if (malformed) *malformed = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      const int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
      if (malformed) *malformed = true;
    }
    out += text[i];
  }
  return out;
}

}  // namespace reqtrace::http
