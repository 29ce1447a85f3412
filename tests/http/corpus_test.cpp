// The corpus, read the way gunicorn's tests/requests/{valid,invalid} are: a raw request and what
// it must parse to, or the error it must be refused with.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "corpus.hpp"
#include "feeding.hpp"

namespace reqtrace::http::test {
namespace {

using Stage = RequestParser::Stage;

std::string case_label(const testing::TestParamInfo<std::string>& info) {
  std::string label = info.param;
  for (char& c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) c = '_';
  }
  return label;
}

class ValidRequest : public testing::TestWithParam<std::string> {};

TEST_P(ValidRequest, ParsesToTheExpectedRequest) {
  Case c = load_case("valid", GetParam());
  Outcome out = feed_pieces({c.raw}, c.limits);
  ASSERT_EQ(out.stage, Stage::Complete)
      << (out.error ? out.error->reason + ": " + out.error->detail : "incomplete");
  EXPECT_EQ(out.consumed, c.raw.size()) << "the file holds exactly one request";

  const Request& r = out.request;
  const nlohmann::json& e = c.expect;
  EXPECT_EQ(r.method, e.at("method").get<std::string>());
  EXPECT_EQ(r.target, e.at("target").get<std::string>());
  EXPECT_EQ(r.path, e.at("path").get<std::string>());
  EXPECT_EQ(r.query, e.at("query").get<std::string>());
  EXPECT_EQ(r.version(), e.at("version").get<std::string>());
  std::vector<std::pair<std::string, std::string>> headers;
  for (const Header& h : r.headers) headers.emplace_back(h.name, h.value);
  EXPECT_EQ(headers, (e.at("headers").get<std::vector<std::pair<std::string, std::string>>>()));
  std::vector<std::pair<std::string, std::string>> trailers;
  for (const Header& h : r.trailers) trailers.emplace_back(h.name, h.value);
  EXPECT_EQ(trailers, (e.value("trailers", decltype(trailers){})));
  EXPECT_EQ(r.body, e.at("body").get<std::string>());
  EXPECT_EQ(r.chunked, e.value("chunked", r.chunked));
  EXPECT_EQ(r.keep_alive(), e.value("keep_alive", r.keep_alive()));
  EXPECT_GT(r.head_bytes, 0u);
  EXPECT_LE(r.head_bytes, c.raw.size());
}

TEST_P(ValidRequest, AnySplitGivesTheSameRequest) {
  Case c = load_case("valid", GetParam());
  Outcome reference = feed_pieces({c.raw}, c.limits);
  for (const Split& split : splits_of(c.raw)) {
    expect_same(reference, feed_pieces(split.pieces, c.limits), split.name);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ValidRequest, testing::ValuesIn(case_names("valid")), case_label);

class InvalidRequest : public testing::TestWithParam<std::string> {};

TEST_P(InvalidRequest, IsRefusedWithTheExpectedError) {
  Case c = load_case("invalid", GetParam());
  Outcome out = feed_pieces({c.raw}, c.limits);
  ASSERT_EQ(out.stage, Stage::Failed);
  ASSERT_TRUE(out.error.has_value());
  EXPECT_EQ(out.error->status, c.expect.at("status").get<int>());
  std::string message = out.error->reason + ": " + out.error->detail;
  EXPECT_NE(message.find(c.expect.at("reason_contains").get<std::string>()), std::string::npos)
      << message;
  EXPECT_LE(out.consumed, c.raw.size());
}

TEST_P(InvalidRequest, AnySplitGivesTheSameError) {
  Case c = load_case("invalid", GetParam());
  Outcome reference = feed_pieces({c.raw}, c.limits);
  for (const Split& split : splits_of(c.raw)) {
    expect_same(reference, feed_pieces(split.pieces, c.limits), split.name);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidRequest, testing::ValuesIn(case_names("invalid")),
                         case_label);

// An empty directory would instantiate nothing and pass silently.
TEST(Corpus, IsThere) {
  EXPECT_GE(case_names("valid").size(), 60u);
  EXPECT_GE(case_names("invalid").size(), 75u);
}

// Every case says which part of HTTP it exercises, so coverage can be counted; the table is
// printed for whoever reports on the corpus (tests/http/count_cases.sh prints it unbuilt).
TEST(Corpus, EveryCaseHasAKnownClass) {
  const std::vector<std::string>& classes = case_classes();
  std::map<std::string, std::pair<int, int>> counts;  // class -> (valid, invalid)
  for (const std::string kind : {"valid", "invalid"}) {
    for (const std::string& name : case_names(kind)) {
      Case c = load_case(kind, name);
      EXPECT_NE(std::find(classes.begin(), classes.end(), c.topic), classes.end())
          << kind << "/" << name << ".expect.json: \"class\" is '" << c.topic
          << "', not one of the known classes";
      auto& [valid, invalid] = counts[c.topic];
      ++(kind == "valid" ? valid : invalid);
    }
  }
  std::printf("%-18s %5s %7s\n", "class", "valid", "invalid");
  for (const std::string& cls : classes) {
    std::printf("%-18s %5d %7d\n", cls.c_str(), counts[cls].first, counts[cls].second);
  }
  std::printf("%-18s %5zu %7zu\n", "total", case_names("valid").size(),
              case_names("invalid").size());
}

}  // namespace
}  // namespace reqtrace::http::test
