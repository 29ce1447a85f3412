// RequestParser beyond the corpus: stages, pipelining, keep-alive reset, limits, and mutations.
#include "sim/http/request_parser.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "corpus.hpp"
#include "feeding.hpp"

namespace reqtrace::http::test {
namespace {

using Stage = RequestParser::Stage;
using namespace std::string_view_literals;

constexpr std::string_view kPost = "POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
constexpr std::string_view kChunked =
    "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
constexpr std::string_view kGet = "GET /next?x=1 HTTP/1.1\r\nHost: a\r\n\r\n";

// The stage after each byte, fed one at a time.
std::vector<Stage> stages_byte_by_byte(std::string_view raw) {
  RequestParser parser;
  std::vector<Stage> stages;
  for (char c : raw) {
    EXPECT_EQ(parser.feed(std::string_view(&c, 1)), 1u);
    stages.push_back(parser.stage());
  }
  return stages;
}

// Index of the byte after which the stage first becomes `stage`.
std::size_t first_index_of(const std::vector<Stage>& stages, Stage stage) {
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (stages[i] == stage) return i;
  }
  return std::string_view::npos;
}

TEST(RequestParser, StagesAdvanceExactlyWhenEachPartIsParsed) {
  std::vector<Stage> stages = stages_byte_by_byte(kPost);
  std::size_t request_line_end = kPost.find("\r\n") + 1;
  std::size_t head_end = kPost.find("\r\n\r\n") + 3;
  EXPECT_EQ(first_index_of(stages, Stage::Headers), request_line_end);
  EXPECT_EQ(first_index_of(stages, Stage::Body), head_end);
  EXPECT_EQ(first_index_of(stages, Stage::Complete), kPost.size() - 1);
  for (std::size_t i = 1; i < stages.size(); ++i) EXPECT_LE(stages[i - 1], stages[i]);
}

TEST(RequestParser, ChunkedBodyCompletesOnlyAfterTheFinalCrlf) {
  std::vector<Stage> stages = stages_byte_by_byte(kChunked);
  EXPECT_EQ(first_index_of(stages, Stage::Body), kChunked.find("\r\n\r\n") + 3);
  EXPECT_EQ(first_index_of(stages, Stage::Complete), kChunked.size() - 1);
}

TEST(RequestParser, RequestWithoutBodySkipsTheBodyStage) {
  std::vector<Stage> stages = stages_byte_by_byte(kGet);
  EXPECT_EQ(first_index_of(stages, Stage::Body), std::string_view::npos);
  EXPECT_EQ(first_index_of(stages, Stage::Complete), kGet.size() - 1);
}

TEST(RequestParser, FillsTheRequestProgressively) {
  RequestParser parser;
  std::size_t line_end = kPost.find("\r\n") + 2;
  std::size_t head_end = kPost.find("\r\n\r\n") + 4;
  parser.feed(kPost.substr(0, line_end - 1));
  EXPECT_EQ(parser.stage(), Stage::RequestLine);
  EXPECT_TRUE(parser.request().method.empty()) << "nothing is set before the line is checked";
  parser.feed(kPost.substr(line_end - 1, 1));
  EXPECT_EQ(parser.stage(), Stage::Headers);
  EXPECT_EQ(parser.request().method, "POST");
  EXPECT_EQ(parser.request().path, "/form");
  parser.feed(kPost.substr(line_end, head_end - line_end));
  EXPECT_EQ(parser.stage(), Stage::Body);
  EXPECT_EQ(parser.request().headers.size(), 2u);
  EXPECT_EQ(parser.request().head_bytes, head_end);
  EXPECT_EQ(parser.request().body, "");
  parser.feed(kPost.substr(head_end));
  EXPECT_EQ(parser.stage(), Stage::Complete);
  EXPECT_EQ(parser.request().body, "abc");
  EXPECT_FALSE(parser.error().has_value());
}

TEST(RequestParser, PipelinedRequestsAreLeftToTheCaller) {
  std::string buffer = std::string(kPost) + std::string(kChunked) + std::string(kGet);
  std::string_view rest = buffer;
  RequestParser parser;

  ASSERT_EQ(parser.feed(rest), kPost.size());
  EXPECT_EQ(parser.stage(), Stage::Complete);
  EXPECT_EQ(parser.request().body, "abc");
  EXPECT_EQ(parser.feed(rest.substr(kPost.size())), 0u) << "a complete parser takes nothing";
  rest.remove_prefix(kPost.size());

  parser.reset();
  ASSERT_EQ(parser.feed(rest), kChunked.size());
  EXPECT_EQ(parser.request().path, "/up");
  EXPECT_EQ(parser.request().body, "abc");
  EXPECT_TRUE(parser.request().chunked);
  rest.remove_prefix(kChunked.size());

  parser.reset();
  ASSERT_EQ(parser.feed(rest), kGet.size());
  EXPECT_EQ(parser.stage(), Stage::Complete);
  EXPECT_EQ(parser.request().method, "GET");
  EXPECT_EQ(parser.request().query, "x=1");
  EXPECT_EQ(parser.request().body, "");
  EXPECT_FALSE(parser.request().chunked);
}

TEST(RequestParser, PipelinedBytesArriveInTheSameReadAsTheBodyEnd) {
  std::string buffer = std::string(kPost) + std::string(kGet);
  RequestParser parser;
  std::size_t first = kPost.size() - 2;
  ASSERT_EQ(parser.feed(std::string_view(buffer).substr(0, first)), first);
  EXPECT_EQ(parser.feed(std::string_view(buffer).substr(first)), 2u);
  EXPECT_EQ(parser.stage(), Stage::Complete);
}

TEST(RequestParser, ResetClearsEverythingButTheLimits) {
  Limits limits;
  limits.body = 2;
  RequestParser parser(limits);
  parser.feed(kPost);
  ASSERT_EQ(parser.stage(), Stage::Failed);
  EXPECT_EQ(parser.error()->status, 413);
  EXPECT_EQ(parser.feed(kGet), 0u) << "a failed parser takes nothing";

  parser.reset();
  EXPECT_EQ(parser.stage(), Stage::RequestLine);
  EXPECT_FALSE(parser.error().has_value());
  EXPECT_TRUE(parser.request().method.empty());
  EXPECT_TRUE(parser.request().headers.empty());
  EXPECT_EQ(parser.request().head_bytes, 0u);
  EXPECT_EQ(parser.limits().body, 2u);
  ASSERT_EQ(parser.feed(kGet), kGet.size());
  EXPECT_EQ(parser.request().path, "/next");
  EXPECT_EQ(parser.request().headers.size(), 1u);
}

TEST(RequestParser, AnIncompleteRequestWaitsWithoutError) {
  for (std::size_t n = 0; n < kChunked.size(); ++n) {
    RequestParser parser;
    EXPECT_EQ(parser.feed(kChunked.substr(0, n)), n);
    EXPECT_NE(parser.stage(), Stage::Complete) << n;
    EXPECT_NE(parser.stage(), Stage::Failed) << n;
  }
}

TEST(RequestParser, StopsRightAfterTheOffendingByte) {
  RequestParser parser;
  std::string_view raw = "GET / HTTP/1.1\nHost: a\r\n\r\n";
  EXPECT_EQ(parser.feed(raw), raw.find('\n') + 1);
  EXPECT_EQ(parser.stage(), Stage::Failed);
}

TEST(RequestParser, TellsHowFarItGotBeforeFailing) {
  RequestParser in_headers;
  in_headers.feed("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n");
  EXPECT_EQ(in_headers.request().method, "GET");
  EXPECT_EQ(in_headers.request().head_bytes, 0u);

  RequestParser in_body;
  in_body.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  EXPECT_EQ(in_body.stage(), Stage::Failed);
  EXPECT_GT(in_body.request().head_bytes, 0u);
}

TEST(RequestParser, LimitsAreInclusive) {
  Limits limits;
  limits.request_line = 16;  // "GET /abc HTTP/1.1" is 17
  limits.fields = 2;
  limits.field_size = 11;  // "Host: a" + CRLF is 9
  RequestParser ok(limits);
  ok.feed("GET /ab HTTP/1.1\r\nHost: a\r\nX-Yz: abc\r\n\r\n");
  EXPECT_EQ(ok.stage(), Stage::Complete) << ok.error()->detail;

  RequestParser long_line(limits);
  long_line.feed("GET /abc HTTP/1.1\r\n");
  ASSERT_EQ(long_line.stage(), Stage::Failed);
  EXPECT_EQ(long_line.error()->status, 414);

  RequestParser long_field(limits);
  long_field.feed("GET / HTTP/1.1\r\nHost: a\r\nX-Yz: abcd\r\n\r\n");
  ASSERT_EQ(long_field.stage(), Stage::Failed);
  EXPECT_EQ(long_field.error()->status, 431);

  RequestParser many_fields(limits);
  many_fields.feed("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n");
  ASSERT_EQ(many_fields.stage(), Stage::Failed);
  EXPECT_EQ(many_fields.error()->status, 431);
}

TEST(RequestParser, RefusesAnEndlessLineWithoutWaitingForItsEnd) {
  RequestParser parser;
  std::string endless = "GET /" + std::string(10000, 'a');
  EXPECT_EQ(parser.feed(endless), parser.limits().request_line + 1);
  ASSERT_EQ(parser.stage(), Stage::Failed);
  EXPECT_EQ(parser.error()->status, 414);
}

TEST(RequestParser, ChunkedTotalIsHeldToTheBodyLimit) {
  Limits limits;
  limits.body = 6;
  RequestParser at_limit(limits);
  at_limit.feed(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
  EXPECT_EQ(at_limit.stage(), Stage::Complete);
  EXPECT_EQ(at_limit.request().body, "abcdef");

  RequestParser over(limits);
  over.feed(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
  ASSERT_EQ(over.stage(), Stage::Failed);
  EXPECT_EQ(over.error()->status, 413);
  EXPECT_EQ(over.request().body, "abc");
}

TEST(RequestParser, ErrorsCarryTheStandardReasonPhrase) {
  RequestParser parser;
  parser.feed("GET / HTTP/2.0\r\n");
  ASSERT_TRUE(parser.error().has_value());
  EXPECT_EQ(parser.error()->status, 505);
  EXPECT_EQ(parser.error()->reason, "HTTP Version Not Supported");
}

TEST(RequestParser, EscapesRequestBytesInTheDetail) {
  RequestParser parser;
  parser.feed("GET /a\x1b[2Jb HTTP/1.1\r\n"sv);
  ASSERT_TRUE(parser.error().has_value());
  EXPECT_EQ(parser.error()->detail.find('\x1b'), std::string::npos);
  EXPECT_NE(parser.error()->detail.find("\\x1B"), std::string::npos) << parser.error()->detail;
}

// Fuzz-like: corrupting a valid request at random must neither crash nor make the result
// depend on how the bytes were split.
TEST(RequestParser, MutatedRequestsGiveTheSameResultForAnySplit) {
  std::mt19937 rng(2024);
  constexpr std::string_view kInteresting = "\r\n :;,\t\x00\x7f-+0aAfFzZ/?#*"sv;
  for (const std::string& name : case_names("valid")) {
    Case c = load_case("valid", name);
    if (c.raw.size() > 2000) continue;  // the limit cases add nothing but time here
    for (int round = 0; round < 20; ++round) {
      std::string raw = c.raw;
      std::uniform_int_distribution<std::size_t> what(0, kInteresting.size() - 1);
      for (int edits = 1 + round % 3; edits > 0; --edits) {
        std::size_t at = std::uniform_int_distribution<std::size_t>(0, raw.size() - 1)(rng);
        switch (rng() % 3) {
          case 0:
            raw[at] = kInteresting[what(rng)];
            break;
          case 1:
            raw.insert(raw.begin() + static_cast<std::ptrdiff_t>(at), kInteresting[what(rng)]);
            break;
          default:
            raw.erase(at, 1);
            break;
        }
      }
      Outcome reference = feed_pieces({raw}, c.limits);
      for (const Split& split : splits_of(raw)) {
        expect_same(reference, feed_pieces(split.pieces, c.limits), name + ", " + split.name);
      }
      if (testing::Test::HasFailure()) return;
    }
  }
}

}  // namespace
}  // namespace reqtrace::http::test
