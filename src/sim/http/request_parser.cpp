#include "sim/http/request_parser.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "sim/http/response_writer.hpp"
#include "sim/http/syntax.hpp"

namespace reqtrace::http {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// Bytes from the request shown inside a detail: control and non-ASCII bytes escaped and long
// values cut, so a hostile request cannot break a log line or the terminal.
std::string printable_quote(std::string_view bytes) {
  return "'" + escape_bytes(bytes, 60) + "'";
}

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_hex_digit(char c) {
  return hex_value(c) >= 0;
}
constexpr bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// CTLs other than HTAB, and DEL: never part of a field value (RFC 9110 section 5.5). NUL, CR
// and LF are the dangerous ones, as a peer may cut the value or the line there.
constexpr bool is_forbidden_in_value(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

// The request-target is visible ASCII only (RFC 9112 section 3.2): no spaces, no controls.
constexpr bool is_target_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f;
}

// Accumulates one digit, refusing to wrap around: a wrapped length is how a huge body is
// made to look small.
bool push_digit(std::uint64_t& value, unsigned base, unsigned digit) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  if (value > (kMax - digit) / base) return false;
  value = value * base + digit;
  return true;
}

struct Target {
  std::string path;
  std::string query;
};

}  // namespace

RequestParser::RequestParser(Limits limits) : limits_(limits) {}

void RequestParser::reset() {
  *this = RequestParser(limits_);
}

bool RequestParser::running() const {
  return stage_ != Stage::Complete && stage_ != Stage::Failed;
}

bool RequestParser::in_body_data() const {
  return stage_ == Stage::Body && (framing_ == Framing::Length || chunk_step_ == ChunkStep::Data);
}

std::size_t RequestParser::feed(std::string_view bytes) {
  std::size_t used = 0;
  while (used < bytes.size() && running()) {
    // Body bytes are opaque and go in bulk; everything else is framing, taken byte by byte so
    // each check fires at the same byte however the input was split.
    if (in_body_data()) {
      used += take_body_data(bytes.substr(used));
    } else {
      step(bytes[used++]);
    }
  }
  return used;
}

void RequestParser::fail(int status, std::string detail) {
  error_ = ParseError{status, std::string(reason_phrase(status)), std::move(detail)};
  stage_ = Stage::Failed;
}

void RequestParser::complete() {
  stage_ = Stage::Complete;
}

RequestParser::LineStep RequestParser::take_line_byte(char c, std::string_view what) {
  // Only CRLF ends a line. Accepting a bare LF or CR, as some servers do, lets a front proxy and
  // this server see different requests in the same bytes.
  if (line_cr_) {
    if (c != '\n') {
      fail(400, "a CR not followed by LF in " + std::string(what) +
                    ": lines must end with CRLF, and a lone CR is not allowed anywhere");
      return LineStep::Failed;
    }
    line_cr_ = false;
    return LineStep::Done;
  }
  if (c == '\n') {
    fail(400,
         std::string(what) + " ends with a bare LF: HTTP/1.1 lines must end with CRLF (\\r\\n)");
    return LineStep::Failed;
  }
  if (c == '\r') {
    line_cr_ = true;
  } else {
    line_ += c;
  }
  return LineStep::More;
}

void RequestParser::step(char c) {
  switch (stage_) {
    case Stage::RequestLine: {
      ++head_bytes_;
      LineStep s = take_line_byte(c, "the request line");
      if (s == LineStep::More && line_.size() > limits_.request_line) {
        return fail(414, "the request line is longer than " + std::to_string(limits_.request_line) +
                             " bytes (limit_request_line); a long URL is the usual cause");
      }
      if (s == LineStep::Done && line_.empty()) {
        // RFC 9112 section 2.2: a server SHOULD ignore at least one empty line before the
        // request line (a stray CRLF after a body on a kept-alive connection). As many as fit in
        // the request line's limit; more is a client sending nothing but line ends.
        if (++empty_lines_ * 2 > limits_.request_line) {
          return fail(400, "more than " + std::to_string(limits_.request_line / 2) +
                               " empty lines before the request line");
        }
        return;
      }
      if (s == LineStep::Done) {
        parse_request_line(line_);
        line_.clear();
      }
      return;
    }
    case Stage::Headers: {
      ++head_bytes_;
      LineStep s = take_line_byte(c, "a header line");
      // gunicorn counts the CRLF in limit_request_field_size.
      if (s == LineStep::More && line_.size() + 2 > limits_.field_size) {
        return fail(431, "a header line is longer than " + std::to_string(limits_.field_size) +
                             " bytes with its CRLF (limit_request_field_size)");
      }
      if (s == LineStep::Done) {
        if (line_.empty()) {
          finish_headers();
        } else {
          parse_header_line(line_);
        }
        line_.clear();
      }
      return;
    }
    case Stage::Body:
      return step_chunk_framing(c);
    case Stage::Complete:
    case Stage::Failed:
      return;
  }
}

std::size_t RequestParser::take_body_data(std::string_view bytes) {
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
  request_.body.append(bytes.substr(0, n));
  remaining_ -= n;
  if (remaining_ == 0) {
    if (framing_ == Framing::Length) {
      complete();
    } else {
      chunk_step_ = ChunkStep::DataCR;
    }
  }
  return n;
}

void RequestParser::step_chunk_framing(char c) {
  switch (chunk_step_) {
    case ChunkStep::Size: {
      LineStep s = take_line_byte(c, "a chunk-size line");
      if (s == LineStep::More && line_.size() > limits_.field_size) {
        return fail(400, "a chunk-size line is longer than " + std::to_string(limits_.field_size) +
                             " bytes: chunk extensions that long are refused");
      }
      if (s == LineStep::Done) {
        parse_chunk_size(line_);
        line_.clear();
      }
      return;
    }
    case ChunkStep::Data:  // taken in bulk by take_body_data
      return;
    case ChunkStep::DataCR:
    case ChunkStep::DataLF: {
      char expected = chunk_step_ == ChunkStep::DataCR ? '\r' : '\n';
      if (c != expected) {
        return fail(400,
                    "chunk data is not followed by CRLF: the chunk is longer than its size "
                    "line says, or the CRLF after it is missing");
      }
      chunk_step_ = chunk_step_ == ChunkStep::DataCR ? ChunkStep::DataLF : ChunkStep::Size;
      return;
    }
    case ChunkStep::Trailer: {
      // The trailer section: field lines until the empty line that ends the body.
      LineStep s = take_line_byte(c, "the trailer section after the last chunk");
      if (s == LineStep::More && line_.size() + 2 > limits_.field_size) {
        return fail(431, "a trailer line is longer than " + std::to_string(limits_.field_size) +
                             " bytes with its CRLF (limit_request_field_size)");
      }
      if (s != LineStep::Done) return;
      if (line_.empty()) return complete();
      parse_trailer_line(line_);
      line_.clear();
      return;
    }
  }
}

void RequestParser::parse_request_line(std::string_view line) {
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == npos ? npos : line.find(' ', sp1 + 1);
  if (sp2 == npos) {
    return fail(400, "request line " + printable_quote(line) +
                         " is not METHOD SP request-target SP HTTP-version (three parts "
                         "separated by single spaces)");
  }
  // Empty parts first: they are what an extra space looks like, and say so more plainly.
  if (sp1 == 0) return fail(400, "the request line starts with a space instead of a method");
  if (sp2 == sp1 + 1) {
    return fail(400, "empty request-target (two spaces in a row after the method)");
  }
  if (line.find(' ', sp2 + 1) != npos) {
    return fail(400, "request line " + printable_quote(line) +
                         " has more than three parts: a space inside the target must be sent "
                         "as %20, and parts are separated by exactly one space");
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);

  // Method, as gunicorn 22 checks it without permit_unconventional_http_method.
  if (std::any_of(method.begin(), method.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return fail(400, "invalid method " + printable_quote(method) +
                         ": methods are case-sensitive and the standard ones are uppercase");
  }
  if (!is_token(method) || method.find('#') != npos) {
    return fail(400, "invalid method " + printable_quote(method) +
                         ": a method is a token (letters, digits and !$%&'*+-.^_`|~)");
  }
  if (method.size() < 3 || method.size() > 20) {
    return fail(400, "invalid method " + printable_quote(method) +
                         ": gunicorn accepts methods of 3 to 20 characters");
  }

  if (!std::all_of(target.begin(), target.end(), is_target_byte)) {
    return fail(400, "request-target " + printable_quote(target) +
                         " contains a control byte or non-ASCII byte; these must be "
                         "percent-encoded");
  }
  if (target.find('#') != npos) {
    return fail(400, "request-target " + printable_quote(target) +
                         " contains a fragment ('#'): browsers keep fragments to themselves");
  }

  Target parsed;
  if (method == "CONNECT") {
    // authority-form, RFC 9112 section 3.2.3: host ":" port, nothing else.
    std::size_t colon = target.rfind(':');
    std::string_view host = colon == npos ? target : target.substr(0, colon);
    std::string_view port = colon == npos ? std::string_view() : target.substr(colon + 1);
    if (host.empty() || port.empty() || !std::all_of(port.begin(), port.end(), is_digit) ||
        host.find_first_of("/?@") != npos) {
      return fail(400, "CONNECT needs an authority-form target (host:port), not " +
                           printable_quote(target));
    }
  } else if (target == "*") {
    if (method != "OPTIONS") {
      return fail(400, "the asterisk-form target '*' is only allowed with OPTIONS, not with " +
                           printable_quote(method));
    }
    parsed.path = "*";
  } else if (target.front() == '/') {
    std::size_t q = target.find('?');
    parsed.path = target.substr(0, q);
    if (q != npos) parsed.query = target.substr(q + 1);
  } else {
    // absolute-form, RFC 9112 section 3.2.2: scheme "://" authority path-abempty ["?" query].
    std::size_t sep = target.find("://");
    std::string_view scheme = sep == npos ? std::string_view() : target.substr(0, sep);
    bool scheme_ok = !scheme.empty() && is_alpha(scheme.front()) &&
                     std::all_of(scheme.begin(), scheme.end(), [](char c) {
                       return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
                     });
    if (!scheme_ok) {
      std::string hint = target.find(':') != npos && target.find('/') == npos
                             ? " (authority-form host:port is only allowed with CONNECT)"
                             : "";
      return fail(400, "request-target " + printable_quote(target) +
                           " must start with '/' (origin-form) or be an absolute URI like "
                           "http://host/path" +
                           hint);
    }
    std::string_view rest = target.substr(sep + 3);
    std::size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    if (authority.empty()) {
      return fail(400, "absolute-form target " + printable_quote(target) + " has no host");
    }
    if (authority.find('@') != npos) {
      return fail(400, "absolute-form target " + printable_quote(target) +
                           " carries user:password@ in the URI, which RFC 9110 says to treat "
                           "as an error");
    }
    if (!check_authority(target, authority)) return;
    std::string_view path_and_query = end == npos ? std::string_view() : rest.substr(end);
    std::size_t q = path_and_query.find('?');
    parsed.path = path_and_query.substr(0, q);
    if (q != npos) parsed.query = path_and_query.substr(q + 1);
    // RFC 9110 section 4.2.3: an empty path is the same as "/".
    if (parsed.path.empty()) parsed.path = "/";
  }

  // Exactly HTTP/1.0 or HTTP/1.1. Something shaped like a version is answered 505; anything
  // else means we misread the line, 400.
  bool shaped = version.size() == 8 && version.substr(0, 5) == "HTTP/" && is_digit(version[5]) &&
                version[6] == '.' && is_digit(version[7]);
  if (!shaped) {
    return fail(400, printable_quote(version) +
                         " is not an HTTP version: expected HTTP/1.1 or HTTP/1.0, exactly, in "
                         "uppercase");
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    return fail(505, std::string(version) +
                         " is not supported: this server speaks HTTP/1.0 and HTTP/1.1 only");
  }

  request_.method = method;
  request_.target = target;
  request_.path = std::move(parsed.path);
  request_.query = std::move(parsed.query);
  request_.version_major = version[5] - '0';
  request_.version_minor = version[7] - '0';
  stage_ = Stage::Headers;
}

bool RequestParser::split_field_line(std::string_view line, std::string_view what,
                                     std::string_view& name, std::string_view& value) {
  if (request_.headers.size() + request_.trailers.size() >= limits_.fields) {
    fail(431, "more than " + std::to_string(limits_.fields) +
                  " header and trailer fields (limit_request_fields)");
    return false;
  }
  if (is_ows(line.front())) {
    fail(400, std::string(what) + " line " + printable_quote(line) +
                  " starts with whitespace: line folding (obs-fold) continued the previous "
                  "field in old HTTP and is refused now");
    return false;
  }
  std::size_t colon = line.find(':');
  if (colon == npos) {
    fail(400, std::string(what) + " line " + printable_quote(line) +
                  " has no colon: expected Name: value");
    return false;
  }
  name = line.substr(0, colon);
  if (name.empty()) {
    fail(400, std::string(what) + " line " + printable_quote(line) + " has an empty name");
    return false;
  }
  if (is_ows(name.back())) {
    fail(400, "whitespace between the " + std::string(what) + " name " +
                  printable_quote(trim_ows(name)) +
                  " and the colon: refused (RFC 9112 section 5.1), as some servers would read a "
                  "different name");
    return false;
  }
  if (!is_token(name)) {
    fail(400, "invalid " + std::string(what) + " name " + printable_quote(name) +
                  ": a name is a token (letters, digits and !#$%&'*+-.^_`|~)");
    return false;
  }
  value = trim_ows(line.substr(colon + 1));
  if (std::any_of(value.begin(), value.end(), is_forbidden_in_value)) {
    fail(400, "the value of " + std::string(what) + " " + printable_quote(name) +
                  " contains a control byte: only visible characters, spaces and tabs are "
                  "allowed");
    return false;
  }
  return true;
}

// RFC 3986 section 3.2.2: host = IP-literal / IPv4address / reg-name, then [":" port]. A host
// outside that grammar ("]ufd", "[zz") is not an authority at all, and must not reach the app.
bool RequestParser::check_authority(std::string_view target, std::string_view authority) {
  auto refuse = [&](const std::string& why) {
    fail(400, "absolute-form target " + printable_quote(target) + " " + why);
    return false;
  };
  // host [":" port]; an IP literal is bracketed, so its colons are not the port's.
  const std::size_t close = authority.front() == '[' ? authority.find(']') : npos;
  if (authority.front() == '[' && close == npos) return refuse("has an IP literal without its ']'");
  const std::size_t colon = authority.find(':', close == npos ? 0 : close);
  std::string_view host = authority.substr(0, colon);
  std::string_view port = colon == npos ? std::string_view() : authority.substr(colon + 1);
  if (host.empty()) {
    return refuse(
        "has no host (RFC 9110 section 4.2.1: an http URI with an empty host is "
        "invalid)");
  }
  if (close != npos && close + 1 != host.size())
    return refuse("has bytes between the IP literal's ']' and the port");
  if (!std::all_of(port.begin(), port.end(), is_digit))
    return refuse("has a port that is not a number");
  if (host.front() == '[') {
    const std::string literal(host.substr(1, host.size() - 2));
    in6_addr address{};
    // IPvFuture ("v" 1*HEXDIG "." ...) names an address format nothing implements.
    if (::inet_pton(AF_INET6, literal.c_str(), &address) != 1)
      return refuse("has an IP literal that is not an IPv6 address");
    return true;
  }
  // reg-name (an IPv4 address is one too): unreserved, percent-encoded and sub-delims only.
  for (std::size_t i = 0; i < host.size(); ++i) {
    const char c = host[i];
    if (c == '%') {
      if (i + 2 >= host.size() || !is_hex_digit(host[i + 1]) || !is_hex_digit(host[i + 2]))
        return refuse("has a '%' in its host that is not followed by two hex digits");
      i += 2;
      continue;
    }
    const bool allowed =
        is_alpha(c) || is_digit(c) || std::string_view("-._~!$&'()*+,;=").find(c) != npos;
    if (!allowed) {
      return refuse("has " + printable_quote(std::string_view(&c, 1)) +
                    " in its host: a host name is letters, digits, '-', '.', '_', '~', "
                    "percent-escapes and !$&'()*+,;= (RFC 3986 section 3.2.2)");
    }
  }
  return true;
}

void RequestParser::parse_header_line(std::string_view line) {
  if (is_ows(line.front()) && request_.headers.empty()) {
    return fail(400,
                "whitespace between the request line and the first header field: refused, "
                "as it could hide a header from one reader and not another");
  }
  std::string_view name, value;
  if (!split_field_line(line, "header", name, value)) return;

  // Fields that may appear once (RFC 9110 section 5.3: only list-valued fields may repeat):
  // two of those that decide framing, routing or who is asking would let two readers disagree.
  auto once = [&](bool& seen) {
    if (seen) {
      fail(400, std::string(name) +
                    " sent twice: refused, as readers that keep the first and "
                    "readers that keep the last would see different requests");
      return false;
    }
    seen = true;
    return true;
  };
  if (iequals(name, "Content-Type") && !once(has_content_type_)) return;
  if (iequals(name, "Authorization") && !once(has_authorization_)) return;

  request_.headers.push_back(Header{std::string(name), std::string(value)});
  if (iequals(name, "Content-Length")) return parse_content_length(value);
  if (iequals(name, "Transfer-Encoding")) {
    if (has_transfer_encoding_) transfer_encoding_ += ", ";
    transfer_encoding_ += value;
    has_transfer_encoding_ = true;
  } else if (iequals(name, "Host")) {
    ++host_count_;
  }
}

void RequestParser::parse_trailer_line(std::string_view line) {
  std::string_view name, value;
  if (!split_field_line(line, "trailer", name, value)) return;
  // RFC 9110 section 6.5.1: a sender must not put in a trailer what frames the message, routes
  // it, modifies or authenticates the request, or says how to process its content.
  static constexpr std::string_view kNeverTrailers[] = {"Transfer-Encoding",
                                                        "Content-Length",
                                                        "Host",
                                                        "Trailer",
                                                        "Content-Type",
                                                        "Content-Encoding",
                                                        "Content-Range",
                                                        "Authorization",
                                                        "Proxy-Authorization",
                                                        "Expect",
                                                        "Max-Forwards",
                                                        "Cache-Control",
                                                        "TE",
                                                        "Range",
                                                        "If-Match",
                                                        "If-None-Match",
                                                        "If-Modified-Since",
                                                        "If-Unmodified-Since",
                                                        "If-Range"};
  for (std::string_view never : kNeverTrailers) {
    if (iequals(name, never)) {
      return fail(400, "trailer field " + printable_quote(name) +
                           " is not allowed after the body: it frames, routes, authenticates "
                           "or describes the request, which must be known before the body "
                           "(RFC 9110 section 6.5.1)");
    }
  }
  request_.trailers.push_back(Header{std::string(name), std::string(value)});
}

void RequestParser::parse_content_length(std::string_view value) {
  // Two lengths, even equal ones, or a list, mean two readers may pick different ones.
  if (content_length_) {
    return fail(400,
                "Content-Length sent twice: refused even when the values are equal, as "
                "readers that pick different ones disagree on where the body ends");
  }
  if (value.empty()) return fail(400, "empty Content-Length");
  if (value.find(',') != npos) {
    return fail(400, "Content-Length " + printable_quote(value) +
                         " is a list: exactly one number is "
                         "allowed");
  }
  if (!std::all_of(value.begin(), value.end(), is_digit)) {
    return fail(400, "Content-Length " + printable_quote(value) +
                         " is not a number: only the digits 0-9 are allowed, no sign, space "
                         "or hex");
  }
  std::uint64_t length = 0;
  for (char c : value) {
    if (!push_digit(length, 10, static_cast<unsigned>(c - '0'))) {
      return fail(400, "Content-Length " + printable_quote(value) + " does not fit in 64 bits");
    }
  }
  content_length_ = length;
}

void RequestParser::finish_headers() {
  if (host_count_ == 0 && request_.version_minor == 1) {
    return fail(400, "HTTP/1.1 request without a Host header: HTTP/1.1 requires one");
  }
  if (host_count_ > 1) {
    return fail(400, "more than one Host header: which site is meant is ambiguous");
  }
  if (has_transfer_encoding_) {
    if (content_length_) {
      return fail(400,
                  "Content-Length and Transfer-Encoding both present: refused, as this is how "
                  "requests are smuggled");
    }
    if (request_.version_minor == 0) {
      return fail(400,
                  "Transfer-Encoding in an HTTP/1.0 request: HTTP/1.0 has no chunked "
                  "encoding, so the body's framing cannot be trusted");
    }
    check_transfer_codings();
    if (stage_ == Stage::Failed) return;
    framing_ = Framing::Chunked;
    request_.chunked = true;
  } else if (content_length_) {
    if (*content_length_ > limits_.body) {
      return fail(413, "Content-Length " + std::to_string(*content_length_) +
                           " is over the body limit of " + std::to_string(limits_.body) + " bytes");
    }
    framing_ = Framing::Length;
    remaining_ = *content_length_;
    request_.body.reserve(static_cast<std::size_t>(remaining_));
  }
  request_.head_bytes = head_bytes_;
  if (framing_ == Framing::None || (framing_ == Framing::Length && remaining_ == 0)) {
    return complete();  // no Content-Length nor Transfer-Encoding: the body is empty
  }
  stage_ = Stage::Body;
}

void RequestParser::check_transfer_codings() {
  // Only "chunked", once, and last. gunicorn also accepts gzip/deflate before it; keeping to
  // chunked alone leaves nothing to decode but the framing.
  bool chunked = false;
  for_each_list_element(transfer_encoding_, [&](std::string_view coding) {
    if (stage_ == Stage::Failed) return;
    if (coding.empty()) {
      return fail(400, "Transfer-Encoding " + printable_quote(transfer_encoding_) +
                           " has an empty element");
    }
    if (iequals(coding, "chunked")) {
      if (chunked) {
        return fail(400, "Transfer-Encoding " + printable_quote(transfer_encoding_) +
                             " applies chunked twice: refused, as readers may unwrap it "
                             "differently");
      }
      chunked = true;
      return;
    }
    if (chunked) {
      return fail(400, "Transfer-Encoding " + printable_quote(transfer_encoding_) +
                           ": chunked must be the last coding, or the body's end is unknown");
    }
    fail(501, "transfer coding " + printable_quote(coding) +
                  " is not supported: this server only understands chunked");
  });
}

void RequestParser::parse_chunk_size(std::string_view line) {
  // chunk-size [ BWS ";" chunk-ext ]: whitespace is allowed only before an extension, as
  // gunicorn does; extensions are ignored but must not smuggle control bytes.
  std::size_t semicolon = line.find(';');
  std::string_view size = line.substr(0, semicolon);
  if (semicolon != npos) {
    while (!size.empty() && is_ows(size.back())) size.remove_suffix(1);
    std::string_view ext = line.substr(semicolon);
    if (std::any_of(ext.begin(), ext.end(), is_forbidden_in_value)) {
      return fail(400, "chunk extension " + printable_quote(ext) + " contains a control byte");
    }
  }
  if (size.empty()) return fail(400, "chunk-size line " + printable_quote(line) + " has no size");
  if (!std::all_of(size.begin(), size.end(), is_hex_digit)) {
    return fail(400, "chunk size " + printable_quote(size) +
                         " is not hexadecimal: only 0-9, a-f and A-F are allowed, with no "
                         "sign, 0x, underscore or space");
  }
  std::uint64_t value = 0;
  for (char c : size) {
    if (!push_digit(value, 16, static_cast<unsigned>(hex_value(c)))) {
      return fail(400, "chunk size " + printable_quote(size) + " does not fit in 64 bits");
    }
  }
  if (value == 0) {
    chunk_step_ = ChunkStep::Trailer;
    return;
  }
  if (value > limits_.body - request_.body.size()) {
    return fail(413, "the chunked body grows past the body limit of " +
                         std::to_string(limits_.body) + " bytes");
  }
  remaining_ = value;
  chunk_step_ = ChunkStep::Data;
}

}  // namespace reqtrace::http
