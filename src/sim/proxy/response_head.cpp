#include "sim/proxy/response_head.hpp"

#include "sim/http/syntax.hpp"

namespace reqtrace::proxy {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Field values may hold visible bytes, spaces, tabs and obs-text, never other controls.
bool is_field_value(std::string_view value) {
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7F) return false;
  }
  return true;
}

}  // namespace

std::optional<ResponseHead> parse_response_head(std::string_view head, std::string& error) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const auto end = head.find("\r\n");
    lines.push_back(head.substr(0, end));
    if (end == std::string_view::npos) break;
    head.remove_prefix(end + 2);
  }
  if (lines.empty()) {
    error = "the response has no status line";
    return std::nullopt;
  }
  for (std::string_view line : lines)
    if (line.find_first_of("\r\n") != std::string_view::npos) {
      error = "a line ends with a bare CR or LF instead of CRLF";
      return std::nullopt;
    }

  const std::string_view status_line = lines[0];
  // "HTTP/1.1 200 OK": the version, a space, three digits, then a space and a reason (or none).
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." ||
      !is_digit(status_line[7]) || status_line[8] != ' ' || !is_digit(status_line[9]) ||
      !is_digit(status_line[10]) || !is_digit(status_line[11]) ||
      (status_line.size() > 12 && status_line[12] != ' ')) {
    error = "the status line is not \"HTTP/1.x NNN reason\"";
    return std::nullopt;
  }
  ResponseHead out;
  out.status =
      (status_line[9] - '0') * 100 + (status_line[10] - '0') * 10 + (status_line[11] - '0');
  if (out.status < 100) {
    error = "the status code is below 100";
    return std::nullopt;
  }
  if (status_line.size() > 13) out.reason = std::string(status_line.substr(13));
  if (!is_field_value(out.reason)) {
    error = "the reason phrase holds a control byte";
    return std::nullopt;
  }

  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (!line.empty() && http::is_ows(line.front())) {
      error = "a folded header line (obs-fold)";
      return std::nullopt;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !http::is_token(line.substr(0, colon))) {
      error = "a header line is not \"name: value\" with a token for its name";
      return std::nullopt;
    }
    const std::string_view value = http::trim_ows(line.substr(colon + 1));
    if (!is_field_value(value)) {
      error = "the value of " + std::string(line.substr(0, colon)) + " holds a control byte";
      return std::nullopt;
    }
    out.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return out;
}

}  // namespace reqtrace::proxy
