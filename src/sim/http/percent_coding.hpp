// Percent-coding (RFC 3986, section 2.1): decoding is what a server does to a path before
// PATH_INFO, and a static file server before it looks for the file; encoding is what a browser
// does to a target it sends and Werkzeug's url_quote to a URL it builds.
#pragma once

#include <string>
#include <string_view>

namespace reqtrace::http {

// "%7E" -> "~", once: "%252e" becomes "%2e", never ".". A "%" not followed by two hex digits is
// kept as it is, as Python's unquote does; `malformed`, when given, says whether there was one
// (a static file server refuses such a path instead).
std::string percent_decode(std::string_view text, bool* malformed = nullptr);

// Every byte `keep(byte)` refuses becomes "%XX", in upper-case hex as browsers and Werkzeug write.
template <typename Keep>
std::string percent_encode(std::string_view text, Keep keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (keep(byte)) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

}  // namespace reqtrace::http
