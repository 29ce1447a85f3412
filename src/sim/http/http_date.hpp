// HTTP dates (RFC 9110 section 5.6.7), as Last-Modified and If-Modified-Since carry them.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace reqtrace::http {

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate), as Date, Last-Modified and If-Modified-Since
// carry it.
std::string format_http_date(std::time_t when);

// Reads an IMF-fixdate; nullopt for anything else, which RFC 9110 says to ignore. The two
// obsolete forms are not read: every client still in use sends IMF-fixdate.
std::optional<std::time_t> parse_http_date(std::string_view text);

}  // namespace reqtrace::http
