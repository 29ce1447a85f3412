#include "sim/http/response_writer.hpp"

#include <cstdio>
#include <stdexcept>

#include "sim/http/syntax.hpp"

namespace reqtrace::http {
namespace {

bool splits_lines(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string serialize_head(std::string_view version, std::string_view status_line,
                           const std::vector<std::pair<std::string, std::string>>& headers) {
  // Three digits, then nothing or a space and the reason.
  bool status_ok =
      status_line.size() >= 3 &&
      status_line.substr(0, 3).find_first_not_of("0123456789") == std::string_view::npos &&
      (status_line.size() == 3 || status_line[3] == ' ');
  if (!status_ok || splits_lines(status_line) || splits_lines(version)) {
    throw std::invalid_argument("invalid status line: " + std::string(status_line));
  }
  std::string out;
  out.append(version).append(" ").append(status_line).append("\r\n");
  for (const auto& [name, value] : headers) {
    if (!is_token(name)) throw std::invalid_argument("invalid header name: " + name);
    if (splits_lines(value)) {
      throw std::invalid_argument("header " + name + " has a CR, LF or NUL in its value");
    }
    out.append(name).append(": ").append(value).append("\r\n");
  }
  out.append("\r\n");
  return out;
}

std::string chunk(std::string_view data) {
  if (data.empty()) return {};
  // Uppercase hex, as gunicorn writes it ("%X\r\n").
  char size[20];
  std::snprintf(size, sizeof size, "%zX\r\n", data.size());
  std::string out(size);
  out.append(data).append("\r\n");
  return out;
}

std::string_view last_chunk() {
  return "0\r\n\r\n";
}

std::string error_response(const ParseError& error, std::string_view version) {
  std::string body = error.reason + ": " + error.detail + "\n";
  std::string status = std::to_string(error.status) + " " + error.reason;
  std::string out = serialize_head(version, status,
                                   {{"Content-Type", "text/plain; charset=utf-8"},
                                    {"Content-Length", std::to_string(body.size())},
                                    {"Connection", "close"}});
  return out + body;
}

}  // namespace reqtrace::http
