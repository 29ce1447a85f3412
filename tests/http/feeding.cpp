#include "feeding.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace reqtrace::http::test {
namespace {

std::vector<std::string_view> cut(std::string_view raw, const std::vector<std::size_t>& lengths) {
  std::vector<std::string_view> pieces;
  for (std::size_t n : lengths) {
    n = std::min(n, raw.size());
    pieces.push_back(raw.substr(0, n));
    raw.remove_prefix(n);
  }
  if (!raw.empty()) pieces.push_back(raw);
  return pieces;
}

// Small pieces (1 to 16 bytes) land cuts inside CRLFs, sizes and names; a few large ones model
// what a socket read usually returns.
std::vector<std::string_view> random_pieces(std::string_view raw, unsigned seed, bool small) {
  std::mt19937 rng(seed);
  std::vector<std::size_t> lengths;
  std::size_t max_piece = small ? 16 : std::max<std::size_t>(raw.size() / 2, 1);
  std::uniform_int_distribution<std::size_t> length(1, max_piece);
  for (std::size_t total = 0; total < raw.size();) {
    lengths.push_back(length(rng));
    total += lengths.back();
  }
  return cut(raw, lengths);
}

}  // namespace

Outcome feed_pieces(const std::vector<std::string_view>& pieces, Limits limits) {
  RequestParser parser(limits);
  Outcome out;
  for (std::string_view piece : pieces) {
    std::size_t used = parser.feed(piece);
    out.consumed += used;
    if (used < piece.size()) break;
  }
  out.stage = parser.stage();
  out.request = parser.request();
  out.error = parser.error();
  return out;
}

std::vector<Split> splits_of(std::string_view raw) {
  std::vector<Split> splits;
  splits.push_back({"all at once", {raw}});
  splits.push_back({"byte by byte", cut(raw, std::vector<std::size_t>(raw.size(), 1))});
  std::vector<std::size_t> line_lengths;
  for (std::size_t start = 0; start < raw.size();) {
    std::size_t lf = raw.find('\n', start);
    std::size_t end = lf == std::string_view::npos ? raw.size() : lf + 1;
    line_lengths.push_back(end - start);
    start = end;
  }
  splits.push_back({"line by line", cut(raw, line_lengths)});
  for (unsigned seed = 1; seed <= 8; ++seed) {
    bool small = seed <= 5;
    splits.push_back(
        {"random split, seed " + std::to_string(seed) + (small ? ", small" : ", large"),
         random_pieces(raw, seed, small)});
  }
  return splits;
}

void expect_same(const Outcome& expected, const Outcome& actual, const std::string& split) {
  SCOPED_TRACE(split);
  EXPECT_EQ(expected.stage, actual.stage);
  EXPECT_EQ(expected.consumed, actual.consumed);
  const Request& e = expected.request;
  const Request& a = actual.request;
  EXPECT_EQ(e.method, a.method);
  EXPECT_EQ(e.target, a.target);
  EXPECT_EQ(e.path, a.path);
  EXPECT_EQ(e.query, a.query);
  EXPECT_EQ(e.version(), a.version());
  auto expect_same_fields = [](const std::vector<Header>& one, const std::vector<Header>& other) {
    ASSERT_EQ(one.size(), other.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(one[i].name, other[i].name);
      EXPECT_EQ(one[i].value, other[i].value);
    }
  };
  expect_same_fields(e.headers, a.headers);
  expect_same_fields(e.trailers, a.trailers);
  EXPECT_EQ(e.body, a.body);
  EXPECT_EQ(e.chunked, a.chunked);
  EXPECT_EQ(e.head_bytes, a.head_bytes);
  ASSERT_EQ(expected.error.has_value(), actual.error.has_value());
  if (expected.error) {
    EXPECT_EQ(expected.error->status, actual.error->status);
    EXPECT_EQ(expected.error->reason, actual.error->reason);
    EXPECT_EQ(expected.error->detail, actual.error->detail);
  }
}

}  // namespace reqtrace::http::test
