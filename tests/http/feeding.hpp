// Feeds one raw request to a RequestParser in pieces, to check that the split never matters.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/http/request_parser.hpp"

namespace reqtrace::http::test {

// Everything a caller can observe once the parser has stopped.
struct Outcome {
  RequestParser::Stage stage = RequestParser::Stage::RequestLine;
  Request request;
  std::optional<ParseError> error;
  std::size_t consumed = 0;  // total of what feed() returned
};

// One way to cut the same bytes into consecutive pieces.
struct Split {
  std::string name;
  std::vector<std::string_view> pieces;
};

// Feeds the pieces in order until the parser stops using bytes.
Outcome feed_pieces(const std::vector<std::string_view>& pieces, Limits limits = {});

// All at once, byte by byte, line by line, and several seeded random splits.
std::vector<Split> splits_of(std::string_view raw);

// Adds a gtest failure, naming the split, for every observable difference.
void expect_same(const Outcome& expected, const Outcome& actual, const std::string& split);

}  // namespace reqtrace::http::test
