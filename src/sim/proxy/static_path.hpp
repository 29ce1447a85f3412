// Where under static_root a request path points, or why it may not point anywhere.
#pragma once

#include <string>
#include <string_view>

namespace reqtrace::proxy {

// The file a static request names, relative to static_root ("css/site.css"), or a refusal.
struct StaticPath {
  std::string relative;  // when status == 0: decoded, plain segments joined by "/"
  int status = 0;        // 0: the path is fine; else 400 or 403, what to answer
  std::string reason;    // why it was refused, for the trace
  bool refused() const { return status != 0; }
};

// Maps `path` (the request's path, still percent-encoded, already known to start with `prefix`)
// to a file under static_root. The path after the prefix is percent-decoded exactly once, so
// "%252e%252e" is the literal name "%2e%2e", never "..". Refused, before any file is looked at:
//   400  a malformed %-escape, a NUL or control byte, bytes that are not valid UTF-8 (overlong
//        forms such as %c0%ae are how a dot was once smuggled past such checks);
//   403  ".." or "." segments (encoded or not), empty segments ("//", an absolute path after the
//        prefix), backslashes (a separator on Windows), and hidden names starting with ".".
// Symlinks are the file system's business: the caller checks where the opened file really is.
StaticPath static_path(std::string_view path, std::string_view prefix);

// Strict UTF-8 (RFC 3629): shortest forms only, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

}  // namespace reqtrace::proxy
