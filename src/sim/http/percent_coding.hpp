// Percent-decoding (RFC 3986, section 2.1): what a server does to a path before PATH_INFO, and a
// static file server before it looks for the file.
#pragma once

#include <string>
#include <string_view>

namespace reqtrace::http {

// "%7E" -> "~", once: "%252e" becomes "%2e", never ".". A "%" not followed by two hex digits is
// kept as it is, as Python's unquote does; `malformed`, when given, says whether there was one
// (a static file server refuses such a path instead).
std::string percent_decode(std::string_view text, bool* malformed = nullptr);

}  // namespace reqtrace::http
