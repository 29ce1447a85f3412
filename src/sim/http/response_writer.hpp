// Writes HTTP/1.1 responses: the head, chunks of a chunked body, and the parser's error replies.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/http/parse_error.hpp"

namespace reqtrace::http {

// "OK", "Not Found", "Method Not Allowed", ... (RFC 9110 names); "Unknown" otherwise.
std::string_view reason_phrase(int status);

// "HTTP/1.1 200 OK\r\nName: value\r\n...\r\n\r\n"; status_line is "200 OK" as a WSGI app gives
// it. Throws std::invalid_argument for a status line that does not start with three digits,
// a header name that is not a token, or a CR, LF or NUL in the status line or a value: written
// out, those would let the application split the response (gunicorn refuses them too).
std::string serialize_head(std::string_view version, std::string_view status_line,
                           const std::vector<std::pair<std::string, std::string>>& headers);

// "5\r\nhello\r\n"; empty data gives "" (never the terminator by accident).
std::string chunk(std::string_view data);

// "0\r\n\r\n": ends a chunked body, with no trailers.
std::string_view last_chunk();

// A complete response for a refused request: status line (of `version`), Content-Type:
// text/plain; charset=utf-8, Content-Length, Connection: close, body = reason + ": " + detail +
// "\n".
std::string error_response(const ParseError& error, std::string_view version = "HTTP/1.1");

}  // namespace reqtrace::http
