// Expect: 100-continue (RFC 9110 section 10.1.1), answered by every model as the server it mirrors
// answers it: before the body is read, so a client that waits for the go-ahead gets it.
#include <gtest/gtest.h>

#include <string>

#include "server/served_stack.hpp"

namespace reqtrace::testing {
namespace {

constexpr const char* kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string head(const std::string& version) {
  return "POST /form " + version +
         "\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: "
         "application/x-www-form-urlencoded\r\nContent-Length: 8\r\n\r\n";
}

// How many go-aheads an HTTP/1.1 request gets: Werkzeug's HTTP/1.1 handlers send two
// (http.server's parse_request, then run_wsgi), the others one.
int continues_of(const std::string& model) {
  return model == "dev-threaded" || model == "fork-per-request" ? 2 : 1;
}

class ExpectContinue : public ServedStack {};

TEST_P(ExpectContinue, TheGoAheadComesBeforeTheBodyIsSent) {
  start({});
  RawClient client(stack->front_door().port);
  ASSERT_TRUE(client.send(head("HTTP/1.1")));
  // The client sends nothing more until the go-ahead is in: a server that waits for the body
  // first would leave both waiting until its read timeout.
  std::string expected;
  for (int i = 0; i < continues_of(GetParam()); ++i) expected += kContinue;
  std::string got;
  while (got.size() < expected.size()) {
    const std::string more = client.read_some(20000);
    if (more.empty()) break;
    got += more;
  }
  EXPECT_EQ(got, expected);
  ASSERT_TRUE(client.send("name=ada"));
  const std::string answer = client.read_until_close(20000);
  EXPECT_EQ(answer.rfind("HTTP/1.", 0), 0u) << answer;
  EXPECT_NE(answer.find(" 200 OK\r\n"), std::string::npos) << answer;
  EXPECT_TRUE(answer.ends_with("Got ada")) << answer;

  const auto trace = finish();
  const auto said = only(trace, trace::Phase::Continue, trace::Actor::Server);
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0].level, 2);
  EXPECT_EQ(nlohmann::json::parse(said[0].data)["raw"], expected);
  // Its own step, after the headers and before the request is whole.
  auto at = [&](trace::Phase phase) {
    for (const auto& event : trace)
      if (event.phase == phase && event.req == said[0].req) return event.seq;
    return std::uint64_t{0};
  };
  EXPECT_LT(at(trace::Phase::Headers), said[0].seq);
  EXPECT_LT(said[0].seq, at(trace::Phase::RequestReceived));
}

TEST_P(ExpectContinue, AnHttp10RequestGetsOneFromEveryModel) {
  // http.server answers only an HTTP/1.1 request itself; run_wsgi and gunicorn answer any.
  start({});
  RawClient client(stack->front_door().port);
  ASSERT_TRUE(client.send(head("HTTP/1.0") + "name=ada"));
  const std::string answer = client.read_until_close(20000);
  EXPECT_EQ(answer.rfind(kContinue, 0), 0u) << answer;
  EXPECT_EQ(answer.find(kContinue, 1), std::string::npos) << answer;
  EXPECT_TRUE(answer.ends_with("Got ada")) << answer;
}

TEST_P(ExpectContinue, WithoutTheExpectationThereIsNone) {
  start({});
  RawClient client(stack->front_door().port);
  ASSERT_TRUE(client.send(
      "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 8\r\n\r\nname=ada"));
  const std::string answer = client.read_until_close(20000);
  EXPECT_EQ(answer.find("100 Continue"), std::string::npos) << answer;
  EXPECT_TRUE(only(finish(), trace::Phase::Continue).empty());
}

INSTANTIATE_TEST_SUITE_P(Models, ExpectContinue,
                         ::testing::Values("dev", "dev-threaded", "fork-per-request", "threaded",
                                           "prefork"),
                         model_name);

}  // namespace
}  // namespace reqtrace::testing
