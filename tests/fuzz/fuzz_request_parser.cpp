// Fuzzes RequestParser with any bytes, cut into pieces in several ways, and checks what must
// hold whatever the input: feed() never takes more than it is given, the stage never goes back,
// the split never changes the outcome, and a Complete request parses the same byte by byte.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "sim/http/request_parser.hpp"

namespace {

using reqtrace::http::Limits;
using reqtrace::http::ParseError;
using reqtrace::http::Request;
using reqtrace::http::RequestParser;
using Stage = RequestParser::Stage;

bool terminal(Stage s) {
  return s == Stage::Complete || s == Stage::Failed;
}

// The cuts and the small limits are derived from the bytes themselves (FNV-1a), so an input
// file alone reproduces a finding, and libFuzzer's mutations move the cuts as well.
std::uint64_t hash_of(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// xorshift64: deterministic and dependency-free, unlike <random>'s distributions.
std::uint64_t next(std::uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

enum class Cut { AllAtOnce, ByteByByte, Random };

std::vector<std::string_view> pieces_of(std::string_view input, Cut cut, std::uint64_t seed) {
  std::vector<std::string_view> pieces;
  std::uint64_t state = seed | 1;
  while (!input.empty()) {
    std::size_t n = input.size();
    if (cut == Cut::ByteByByte) n = 1;
    // Mostly small pieces, to land cuts inside CRLFs, sizes and names; now and then a large one.
    if (cut == Cut::Random) n = next(state) % 8 == 0 ? 1 + next(state) % 512 : 1 + next(state) % 7;
    n = std::min(n, input.size());
    pieces.push_back(input.substr(0, n));
    input.remove_prefix(n);
  }
  return pieces;
}

struct Outcome {
  Stage stage = Stage::RequestLine;
  std::size_t consumed = 0;
  Request request;
  std::optional<ParseError> error;
};

// A hostile request must not be able to put a control byte into a log line through a detail.
bool printable(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return false;
  }
  return true;
}

void check_outcome(const Outcome& out, const Limits& limits) {
  if (out.stage == Stage::Failed) {
    FUZZ_CHECK(out.error.has_value(), "Failed without an error");
    int s = out.error->status;
    FUZZ_CHECK(s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505,
               "an error status the parser does not document");
    FUZZ_CHECK(!out.error->reason.empty(), "an error without a reason phrase");
    FUZZ_CHECK(!out.error->detail.empty(), "an error without a detail");
    FUZZ_CHECK(printable(out.error->detail), "an error detail with a control or non-ASCII byte");
  } else {
    FUZZ_CHECK(!out.error.has_value(), "an error set while not Failed");
  }
  if (out.stage == Stage::Complete) {
    const Request& r = out.request;
    FUZZ_CHECK(!r.method.empty(), "Complete without a method");
    FUZZ_CHECK(r.version_major == 1 && (r.version_minor == 0 || r.version_minor == 1),
               "Complete with a version other than HTTP/1.0 or 1.1");
    FUZZ_CHECK(r.head_bytes > 0 && r.head_bytes <= out.consumed,
               "head_bytes outside the bytes consumed");
    FUZZ_CHECK(r.body.size() <= limits.body, "a body over the body limit");
    FUZZ_CHECK(r.body.size() <= out.consumed - r.head_bytes, "a body longer than what followed");
  }
}

// Feeds the pieces in order, checking after every call what must hold after any call.
Outcome feed(RequestParser& parser, const std::vector<std::string_view>& pieces) {
  Outcome out;
  for (std::string_view piece : pieces) {
    Stage before = parser.stage();
    std::size_t used = parser.feed(piece);
    Stage after = parser.stage();
    FUZZ_CHECK(used <= piece.size(), "feed() consumed more bytes than it was given");
    FUZZ_CHECK(after >= before, "the stage went backwards");
    if (terminal(before)) {
      FUZZ_CHECK(used == 0 && after == before, "feed() did something after the end");
    }
    FUZZ_CHECK(used == piece.size() || terminal(after),
               "feed() left bytes unused without completing or failing");
    out.consumed += used;
    if (terminal(after)) break;
  }
  out.stage = parser.stage();
  out.request = parser.request();
  out.error = parser.error();
  return out;
}

Outcome parse(std::string_view input, Cut cut, std::uint64_t seed, const Limits& limits) {
  RequestParser parser(limits);
  Outcome out = feed(parser, pieces_of(input, cut, seed));
  check_outcome(out, limits);
  return out;
}

void check_same(const Outcome& a, const Outcome& b, const char* what) {
  FUZZ_CHECK(a.stage == b.stage, what);
  FUZZ_CHECK(a.consumed == b.consumed, what);
  const Request& x = a.request;
  const Request& y = b.request;
  FUZZ_CHECK(x.method == y.method && x.target == y.target && x.path == y.path &&
                 x.query == y.query && x.version_major == y.version_major &&
                 x.version_minor == y.version_minor,
             what);
  FUZZ_CHECK(x.headers.size() == y.headers.size(), what);
  for (std::size_t i = 0; i < x.headers.size(); ++i) {
    FUZZ_CHECK(x.headers[i].name == y.headers[i].name && x.headers[i].value == y.headers[i].value,
               what);
  }
  FUZZ_CHECK(x.body == y.body && x.chunked == y.chunked && x.head_bytes == y.head_bytes, what);
  FUZZ_CHECK(a.error.has_value() == b.error.has_value(), what);
  if (a.error) {
    FUZZ_CHECK(a.error->status == b.error->status && a.error->reason == b.error->reason &&
                   a.error->detail == b.error->detail,
               what);
  }
}

// Limits small enough that short inputs reach them, chosen from the input.
Limits small_limits(std::uint64_t h) {
  Limits l;
  l.request_line = 8 + (h & 0xff);
  l.fields = 1 + ((h >> 8) & 0xf);
  l.field_size = 8 + ((h >> 12) & 0xff);
  l.body = (h >> 20) & 0x3ff;
  return l;
}

// Pipelined requests on one keep-alive connection: reset() between them, as the server does.
void parse_pipelined(std::string_view input, const Limits& limits) {
  RequestParser parser(limits);
  for (int n = 0; n < 16 && !input.empty(); ++n) {
    Outcome out = feed(parser, {input});
    check_outcome(out, limits);
    if (out.stage != Stage::Complete) return;
    FUZZ_CHECK(out.consumed > 0, "an empty request was Complete");
    input.remove_prefix(out.consumed);
    parser.reset();
    FUZZ_CHECK(parser.stage() == Stage::RequestLine && !parser.error() &&
                   parser.request().method.empty() && parser.request().headers.empty(),
               "reset() left state from the previous request");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::uint64_t h = hash_of(input);

  for (const Limits& limits : {Limits{}, small_limits(h)}) {
    Outcome whole = parse(input, Cut::AllAtOnce, 0, limits);
    check_same(whole, parse(input, Cut::ByteByByte, 0, limits),
               "byte by byte gave another outcome than all at once");
    check_same(whole, parse(input, Cut::Random, h, limits),
               "a random split gave another outcome than all at once");
    if (whole.stage == Stage::Complete) {
      // The request alone, without whatever followed it, ends at the same byte.
      Outcome alone = parse(input.substr(0, whole.consumed), Cut::ByteByByte, 0, limits);
      check_same(whole, alone, "a Complete request re-parsed byte by byte differs");
    }
  }
  parse_pipelined(input, Limits{});
  return 0;
}
