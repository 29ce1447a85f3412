// Reading the status line and headers of a response that came back as raw bytes (uwsgi_pass).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reqtrace::proxy {

struct ResponseHead {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, case kept
};

// `head` is everything before the blank line: "HTTP/1.1 200 OK\r\nName: value\r\n...". Strict,
// as nginx is with an upstream: a status line of "HTTP/1.x", three digits and a reason; header
// names that are tokens; values without control bytes; CRLF line ends; no folded lines.
// nullopt with `error` saying what was wrong otherwise.
std::optional<ResponseHead> parse_response_head(std::string_view head, std::string& error);

}  // namespace reqtrace::proxy
