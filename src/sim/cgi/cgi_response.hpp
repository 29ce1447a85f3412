// A CGI program's response (RFC 3875, section 6) as the server reads it off the program's stdout.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reqtrace::server {

struct CgiResponse {
  bool ok = false;
  // When ok: what the server answers with.
  std::string status = "200 OK";
  std::vector<std::pair<std::string, std::string>> headers;  // the program's, without Status
  std::string body;
  // When not ok: 502 for output that is no CGI response at all, 500 for a document response
  // without Content-Type; and why.
  int error_status = 0;
  std::string error;
};

// Header lines end with LF or CRLF, up to an empty line; the body is the rest. A Status header
// gives the status (200 OK when there is none); Location without Status is a redirect: 302.
CgiResponse parse_cgi_response(std::string_view output);

}  // namespace reqtrace::server
