// Strict, incremental HTTP/1.1 request parser: bytes in, a Request or a ParseError out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/http/limits.hpp"
#include "sim/http/parse_error.hpp"
#include "sim/http/request.hpp"

namespace reqtrace::http {

// Shaped like gunicorn's http/message.py and http/body.py, but fed by the caller instead of
// reading a socket, so the server can show each stage as it completes. It refuses what
// gunicorn 22+ refuses. Every decision is taken at a fixed byte of the input, so any split of
// the same bytes gives the same result, error included.
class RequestParser {
 public:
  // In order; Body is skipped when the request has no body. stage() never goes back.
  enum class Stage { RequestLine, Headers, Body, Complete, Failed };

  explicit RequestParser(Limits limits = {});

  // Consumes bytes of one request; returns how many it used. Stops at the end of the request
  // (so pipelined bytes of the next request are left to the caller) or right after the byte
  // that made it fail; uses nothing once Complete or Failed. One call may pass several stages.
  // On Failed, request().method is non-empty if the request line had been accepted and
  // request().head_bytes non-zero if the headers had.
  std::size_t feed(std::string_view bytes);

  Stage stage() const { return stage_; }
  // Filled progressively: method/target/path/query/version once the request line is parsed,
  // headers and head_bytes once the header section is, body when Complete.
  const Request& request() const { return request_; }
  const std::optional<ParseError>& error() const { return error_; }  // set when Failed
  const Limits& limits() const { return limits_; }

  // Ready for the next request on a keep-alive connection; the limits stay.
  void reset();

 private:
  enum class Framing { None, Length, Chunked };  // how the body's end is known
  enum class ChunkStep { Size, Data, DataCR, DataLF, Trailer };
  enum class LineStep { More, Done, Failed };

  bool running() const;
  bool in_body_data() const;
  void step(char c);
  LineStep take_line_byte(char c, std::string_view what);
  std::size_t take_body_data(std::string_view bytes);
  void step_chunk_framing(char c);

  void parse_request_line(std::string_view line);
  bool check_authority(std::string_view target, std::string_view authority);
  // A field line's name and value, checked as RFC 9110 section 5 says; false once failed.
  bool split_field_line(std::string_view line, std::string_view what, std::string_view& name,
                        std::string_view& value);
  void parse_header_line(std::string_view line);
  void parse_trailer_line(std::string_view line);
  void parse_content_length(std::string_view value);
  void finish_headers();
  void check_transfer_codings();
  void parse_chunk_size(std::string_view line);

  void fail(int status, std::string detail);
  void complete();

  Limits limits_;
  Stage stage_ = Stage::RequestLine;
  Request request_;
  std::optional<ParseError> error_;

  std::string line_;      // the line being collected, without its CRLF
  bool line_cr_ = false;  // the last byte was the CR of a line end
  std::size_t head_bytes_ = 0;
  std::size_t empty_lines_ = 0;  // before the request line: ignored, up to a limit

  std::size_t host_count_ = 0;
  bool has_content_type_ = false;
  bool has_authorization_ = false;
  std::optional<std::uint64_t> content_length_;
  bool has_transfer_encoding_ = false;
  std::string transfer_encoding_;  // every Transfer-Encoding value, joined into one list

  Framing framing_ = Framing::None;
  ChunkStep chunk_step_ = ChunkStep::Size;
  std::uint64_t remaining_ = 0;  // bytes still due: of the whole body, or of the current chunk
};

}  // namespace reqtrace::http
