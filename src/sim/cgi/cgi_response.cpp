#include "sim/cgi/cgi_response.hpp"

#include "sim/http/syntax.hpp"

namespace reqtrace::server {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

CgiResponse failed(int status, std::string why) {
  CgiResponse response;
  response.error_status = status;
  response.error = std::move(why);
  return response;
}

bool is_status_line(std::string_view status) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return status.size() >= 3 && digit(status[0]) && digit(status[1]) && digit(status[2]) &&
         (status.size() == 3 || status[3] == ' ');
}

}  // namespace

CgiResponse parse_cgi_response(std::string_view output) {
  if (output.empty()) return failed(502, "the program wrote nothing to stdout");
  CgiResponse response;
  bool has_status = false, has_location = false, has_content_type = false;
  std::string_view rest = output;
  for (;;) {
    const auto newline = rest.find('\n');
    if (newline == std::string_view::npos)
      return failed(502, "the program's output ends before the empty line that ends its headers");
    std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    const auto colon = line.find(':');
    const std::string_view name = line.substr(0, colon == std::string_view::npos ? 0 : colon);
    if (colon == std::string_view::npos || !http::is_token(name))
      return failed(502, R"(the program wrote a header line that is not "Name: value": ")" +
                             std::string(line.substr(0, 80)) + "\"");
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (http::iequals(name, "Status")) {
      if (!is_status_line(value))
        return failed(502,
                      R"(the program's Status is ")" + std::string(value) +
                          R"("; expected a three-digit code and a reason, as "404 Not Found")");
      response.status = std::string(value);
      has_status = true;
      continue;
    }
    has_location = has_location || http::iequals(name, "Location");
    has_content_type = has_content_type || http::iequals(name, "Content-Type");
    response.headers.emplace_back(std::string(name), std::string(value));
  }
  response.body = std::string(rest);
  if (has_location && !has_status) {
    // A redirect response (RFC 3875 6.2.3): the server answers 302 Found. A local path would
    // be a local redirect the server serves itself (6.2.2); a WSGI app always sends a Status,
    // so this server treats both as the client's to follow.
    response.status = "302 Found";
  } else if (!has_content_type && !response.body.empty()) {
    return failed(500,
                  "the program sent a body without Content-Type, which RFC 3875 requires of a "
                  "document response");
  }
  response.ok = true;
  return response;
}

}  // namespace reqtrace::server
