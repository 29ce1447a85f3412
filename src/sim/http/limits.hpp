// The parser's size limits, named after gunicorn's settings so a student can find them there.
#pragma once

#include <cstddef>

namespace reqtrace::http {

// Every limit bounds memory a client can make the server hold before it has said anything
// useful; going over one is refused with a 4xx rather than buffered.
struct Limits {
  // limit_request_line: bytes of the request line, without its CRLF (over: 414).
  std::size_t request_line = 4094;
  // limit_request_fields: number of header fields (over: 431).
  std::size_t fields = 100;
  // limit_request_field_size: bytes of one header line, counting its CRLF as gunicorn does
  // (over: 431). Also bounds a chunk-size line (over: 400).
  std::size_t field_size = 8190;
  // Bytes of the decoded body, from Content-Length or the running chunked total (over: 413).
  // gunicorn leaves this to the application; the simulation needs a bound.
  std::size_t body = 1 << 20;
};

}  // namespace reqtrace::http
