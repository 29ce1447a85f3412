// Request correlation: the number in X-Reqtrace-Req, when valid and already received with the
// request line, is the request's number in every server event; otherwise the server counts.
#include "sim/server/request_number.hpp"

#include <gtest/gtest.h>

#include "served_stack.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::testing {
namespace {

using server::given_request_number;
using server::parse_request_number;
using trace::Phase;

TEST(RequestNumber, AcceptsPositiveDecimalsUpToAMillion) {
  EXPECT_EQ(parse_request_number("1"), 1);
  EXPECT_EQ(parse_request_number(" 42\t"), 42);
  EXPECT_EQ(parse_request_number("0007"), 7);
  EXPECT_EQ(parse_request_number("1000000"), 1000000);
  for (const char* bad :
       {"", " ", "0", "-1", "+1", "1000001", "99999999999", "1e3", "0x10", "1 2", "١"})
    EXPECT_EQ(parse_request_number(bad), std::nullopt) << bad;
}

TEST(RequestNumber, IsTheFirstValidXReqtraceReqAmongTheParsedFields) {
  auto given = [](std::vector<http::Header> headers) {
    http::Request request;
    request.headers = std::move(headers);
    return given_request_number(request);
  };
  EXPECT_EQ(given({{"Host", "x"}, {"X-Reqtrace-Req", "3"}}), 3);
  EXPECT_EQ(given({{"x-reqtrace-req", "9"}, {"X-Reqtrace-Req", "4"}}), 9);
  EXPECT_EQ(given({{"Host", "x"}}), std::nullopt);
  EXPECT_EQ(given({}), std::nullopt);
  // Invalid: the server counts.
  EXPECT_EQ(given({{"X-Reqtrace-Req", "0"}}), std::nullopt);
  EXPECT_EQ(given({{"X-Reqtrace-Reqs", "3"}}), std::nullopt);
}

class RequestNumbers : public ServedStack {
 protected:
  void SetUp() override { start({}); }
  std::string get(const std::string& head_lines) {
    RawClient client(stack->front_door().port);
    EXPECT_TRUE(client.connected());
    client.send("GET / HTTP/1.1\r\nHost: x\r\n" + head_lines + "Connection: close\r\n\r\n");
    return client.read_until_close(10000);
  }
  // The req of every server event, in trace order, skipping the ones of no request.
  static std::vector<int> server_reqs(const std::vector<trace::Event>& trace) {
    std::vector<int> out;
    for (const auto& event : trace)
      if (event.actor == trace::Actor::Server && event.req != 0) out.push_back(event.req);
    return out;
  }
};

TEST_P(RequestNumbers, TwoRequestsInReverseOrderKeepTheClientsNumbers) {
  EXPECT_NE(get("X-Reqtrace-Req: 2\r\n").find("Hello from Flask!"), std::string::npos);
  EXPECT_NE(get("X-Reqtrace-Req: 1\r\n").find("Hello from Flask!"), std::string::npos);
  const auto trace = finish();
  const auto lines = only(trace, Phase::RequestLine);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].req, 2);
  EXPECT_EQ(lines[1].req, 1);
  // Each request has its whole sequence of server events under its own number: none was
  // renumbered. (Across requests they may interleave: a worker says "idle" after its client
  // already has the response.)
  const std::vector<Phase> expected = {
      Phase::RequestLine, Phase::Headers,       Phase::RequestReceived, Phase::EnvironBuilt,
      Phase::CallingApp,  Phase::StartResponse, Phase::ResponseReady,   Phase::Sending,
      Phase::Sent,        Phase::Idle};
  for (int req : {1, 2}) {
    std::vector<Phase> phases;
    for (const auto& event : trace)
      if (event.actor == trace::Actor::Server && event.req == req) phases.push_back(event.phase);
    EXPECT_EQ(phases, expected) << "request " << req;
  }
  // The app hears the same number.
  for (const auto& event : trace) {
    if (event.actor == trace::Actor::App && event.req != 0) {
      EXPECT_TRUE(event.req == 1 || event.req == 2) << event.msg;
    }
  }
}

TEST_P(RequestNumbers, InvalidNumbersAreIgnoredAndTheServerCounts) {
  for (const char* value : {"abc", "0", "1000001", "-4", "", "7 8", "+9"})
    get(std::string("X-Reqtrace-Req: ") + value + "\r\n");
  get("");
  const auto lines = only(finish(), Phase::RequestLine);
  std::vector<int> reqs;
  reqs.reserve(lines.size());
  for (const auto& line : lines) reqs.push_back(line.req);
  EXPECT_EQ(reqs, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST_P(RequestNumbers, AHeaderThatArrivesAfterTheRequestLineEventIsNotUsed) {
  RawClient client(stack->front_door().port);
  ASSERT_TRUE(client.connected());
  client.send("GET / HTTP/1.1\r\n");
  // Only the request line is there when the event is emitted: the server counts.
  ASSERT_TRUE(wait_for([](const trace::Event& e) { return e.phase == Phase::RequestLine; }));
  client.send("Host: x\r\nX-Reqtrace-Req: 7\r\nConnection: close\r\n\r\n");
  EXPECT_NE(client.read_until_close(10000).find("Hello from Flask!"), std::string::npos);
  const auto reqs = server_reqs(finish());
  ASSERT_FALSE(reqs.empty());
  EXPECT_TRUE(std::all_of(reqs.begin(), reqs.end(), [](int req) { return req == 1; }));
}

TEST_P(RequestNumbers, ARefusedRequestKeepsItsNumberToo) {
  RawClient client(stack->front_door().port);
  client.send("GET / HTTP/1.1\r\nX-Reqtrace-Req: 12\r\nBad Header: x\r\n\r\n");
  // Werkzeug's BaseWSGIServer refuses at HTTP/1.0, the others at HTTP/1.1.
  const std::string version = GetParam() == "dev" ? "HTTP/1.0" : "HTTP/1.1";
  EXPECT_EQ(client.read_until_close(10000).rfind(version + " 400 ", 0), 0u);
  const auto errors = only(finish(), Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].req, 12);
}

INSTANTIATE_TEST_SUITE_P(Models, RequestNumbers, ::testing::Values("dev", "threaded", "prefork"),
                         model_name);

}  // namespace
}  // namespace reqtrace::testing
