// One parsed HTTP/1.1 request, as the parser fills it in and the environ builder reads it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reqtrace::http {

struct Header {
  std::string name;   // as sent, case preserved
  std::string value;  // trimmed of leading and trailing OWS (spaces and tabs)
};

struct Request {
  std::string method;  // "GET"
  std::string target;  // request-target exactly as sent
  // The path part, still percent-encoded ("/a%20b"); for absolute-form the path of the URI
  // ("/" when it is empty); "*" for asterisk-form; empty for authority-form (CONNECT).
  std::string path;
  std::string query;  // after '?', raw, without '?'
  int version_major = 1, version_minor = 1;
  std::vector<Header> headers;  // in the order received, duplicates kept
  std::string body;             // de-chunked
  bool chunked = false;
  // The trailer section after a chunked body (RFC 9112 section 7.1.2), as gunicorn keeps it
  // (http/body.py ChunkedReader.parse_trailers): PEP 3333 has no place for them, so the app never
  // sees them; the trace does.
  std::vector<Header> trailers;
  std::size_t head_bytes = 0;  // bytes of request line + headers + blank line

  // Case-insensitive; the first match.
  std::optional<std::string_view> header(std::string_view name) const;
  // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive".
  bool keep_alive() const;
  // "HTTP/1.1"
  std::string version() const;
};

}  // namespace reqtrace::http
