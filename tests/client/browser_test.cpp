// The browser against a real dev server on loopback: a page, then each image, script and
// stylesheet it links to as a request of its own, numbered so both ends of the trace agree.
#include "sim/client/browser.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sim/topology/stack.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::client {
namespace {

using trace::Phase;

scenario::Route route(std::string rule, std::string endpoint, std::string body,
                      std::string content_type = "text/html; charset=utf-8") {
  scenario::Route r;
  r.rule = std::move(rule);
  r.endpoint = std::move(endpoint);
  r.returns.body = std::move(body);
  r.returns.content_type = std::move(content_type);
  return r;
}

// A page with every kind of link a browser meets, and the files it names.
scenario::Scenario site() {
  scenario::Scenario s;
  s.id = "site";
  s.routes = {
      route("/", "home", R"(<!DOCTYPE html><html><head>
        <LINK HREF='/static/site.css' rel="Stylesheet"><link rel="icon" href="/favicon.ico">
        <script src=/static/app.js></script>
        <script>var s = '<img src="/not-an-image.png">';</script>
        <!-- <img src="/commented-out.png"> -->
        </head><body><img alt="logo" src="/static/logo.png"><img src="/static/logo.png">
        <img src="https://cdn.example.com/x.png"><img src="//cdn.example.com/y.png">
        <img src="data:image/png;base64,AAAA"></body></html>)"),
      route("/static/site.css", "css", "body { color: black }", "text/css"),
      route("/static/app.js", "js", "console.log('hi')", "application/javascript"),
      route("/static/logo.png", "logo", "PNG", "image/png"),
      route("/blog/post", "post",
            R"(<img src="img/pic.png"><link rel=stylesheet href="../static/site.css">)"),
      route("/blog/img/pic.png", "pic", "PNG", "image/png"),
      route("/plain", "plain", R"(<img src="/static/logo.png">)", "text/plain"),
  };
  s.requests = {scenario::Request{}};
  return s;
}

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    recorder.add_sink([this](const std::vector<trace::Event>& batch) {
      events.insert(events.end(), batch.begin(), batch.end());
    });
    std::string error;
    stack = topology::Stack::start(site(), &recorder, {}, error);
    ASSERT_TRUE(stack) << error;
    browser = std::make_unique<Browser>(stack->front_door().host, stack->front_door().port,
                                        trace::Emitter(&recorder, trace::Actor::Client, "client"),
                                        numbers, in_flight);
  }
  void TearDown() override {
    browser.reset();
    if (stack) stack->stop();
    recorder.flush();
  }

  std::vector<Fetch> visit(const std::string& path, bool subresources = true) {
    Request request;
    request.path = path;
    request.subresources = subresources;
    auto fetches = browser->visit(request);
    recorder.flush();
    return fetches;
  }

  std::vector<trace::Event> of(trace::Actor actor, Phase phase) {
    std::vector<trace::Event> out;
    for (const auto& event : events)
      if (event.actor == actor && event.phase == phase) out.push_back(event);
    return out;
  }

  // Request target the server read for each req, from its request_line events.
  std::map<int, std::string> server_targets() {
    std::map<int, std::string> out;
    for (const auto& event : of(trace::Actor::Server, Phase::RequestLine))
      out[event.req] = nlohmann::json::parse(event.data)["target"];
    return out;
  }

  std::vector<trace::Event> events;  // before the recorder: its last flush lands here
  trace::Recorder recorder;
  RequestNumbers numbers;
  InFlight in_flight;
  std::unique_ptr<topology::Stack> stack;
  std::unique_ptr<Browser> browser;
};

TEST_F(BrowserTest, APageThenEachSubresourceAsARequestOfItsOwn) {
  const auto fetches = visit("/");
  ASSERT_EQ(fetches.size(), 4u);
  EXPECT_EQ(fetches[0].request.path, "/");
  EXPECT_EQ(fetches[0].kind, "page");
  EXPECT_EQ(fetches[0].req, 1);
  EXPECT_EQ(fetches[1].request.path, "/static/site.css");
  EXPECT_EQ(fetches[1].kind, "stylesheet");
  EXPECT_EQ(fetches[2].request.path, "/static/app.js");
  EXPECT_EQ(fetches[2].kind, "script");
  EXPECT_EQ(fetches[3].request.path, "/static/logo.png");
  EXPECT_EQ(fetches[3].kind, "img");
  std::set<int> reqs;
  for (const auto& fetch : fetches) {
    EXPECT_TRUE(fetch.response.ok) << fetch.response.error;
    EXPECT_EQ(fetch.response.status, 200) << fetch.request.path;
    reqs.insert(fetch.req);
    if (fetch.kind != "page") {
      EXPECT_EQ(fetch.page_req, 1);
    }
  }
  EXPECT_EQ(reqs, (std::set<int>{1, 2, 3, 4}));
  EXPECT_EQ(fetches[3].response.body, "PNG");

  // The server read each one under the number the browser gave it.
  std::map<int, std::string> sent;
  for (const auto& fetch : fetches) sent[fetch.req] = fetch.request.path;
  EXPECT_EQ(server_targets(), sent);
  for (const auto& event : of(trace::Actor::Server, Phase::Headers)) {
    bool carried = false;
    const auto data = nlohmann::json::parse(event.data);
    for (const auto& header : data["headers"])
      carried |= header[0] == "X-Reqtrace-Req" && header[1] == std::to_string(event.req);
    EXPECT_TRUE(carried) << event.data;
  }

  // The client's own events: a send and a receive per request, on the lane of its connection.
  for (const auto& fetch : fetches) {
    int sends = 0, receives = 0;
    for (const auto& event : events) {
      if (event.actor != trace::Actor::Client || event.req != fetch.req) continue;
      EXPECT_EQ(event.lane, fetch.lane);
      sends += event.phase == Phase::Send;
      receives += event.phase == Phase::Receive;
      if (fetch.kind != "page" && event.phase != Phase::Connect) {
        EXPECT_NE(event.msg.find("subresource (" + fetch.kind + ") of page / (req 1)"),
                  std::string::npos)
            << event.msg;
      }
    }
    EXPECT_EQ(sends, 1) << fetch.request.path;
    EXPECT_EQ(receives, 1) << fetch.request.path;
  }
}

TEST_F(BrowserTest, FetchesOverUpToSixConnectionsEachOnItsOwnLane) {
  const auto fetches = visit("/");
  const std::set<std::string> allowed = {"client", "client/conn-2", "client/conn-3"};
  for (const auto& fetch : fetches) EXPECT_TRUE(allowed.count(fetch.lane)) << fetch.lane;
  EXPECT_EQ(fetches[0].lane, "client");
  // Every connection the browser opened says which request made it open.
  for (const auto& event : of(trace::Actor::Client, Phase::Connect)) {
    EXPECT_TRUE(allowed.count(event.lane)) << event.lane;
    EXPECT_GE(event.req, 1);
  }
}

TEST_F(BrowserTest, DuplicatesOtherOriginsAndNonStylesheetLinksAreNotFetched) {
  visit("/");
  std::set<std::string> targets;
  for (const auto& [req, target] : server_targets()) targets.insert(target);
  EXPECT_EQ(targets,
            (std::set<std::string>{"/", "/static/site.css", "/static/app.js", "/static/logo.png"}));
  EXPECT_EQ(of(trace::Actor::Server, Phase::RequestReceived).size(), 4u);
}

TEST_F(BrowserTest, RelativeLinksResolveAgainstThePage) {
  const auto fetches = visit("/blog/post");
  ASSERT_EQ(fetches.size(), 3u);
  EXPECT_EQ(fetches[1].request.path, "/blog/img/pic.png");
  EXPECT_EQ(fetches[2].request.path, "/static/site.css");
  for (const auto& fetch : fetches) EXPECT_EQ(fetch.response.status, 200) << fetch.request.path;
}

TEST_F(BrowserTest, NothingMoreWhenTurnedOffOrWhenTheAnswerIsNotHtml) {
  EXPECT_EQ(visit("/", /*subresources=*/false).size(), 1u);
  EXPECT_EQ(visit("/plain").size(), 1u);
  EXPECT_EQ(of(trace::Actor::Server, Phase::RequestReceived).size(), 2u);
}

TEST_F(BrowserTest, NumbersGoOnAcrossPagesAndTheWaitingCountReturnsToZero) {
  const auto first = visit("/blog/post");
  const auto second = visit("/");
  EXPECT_EQ(first.front().req, 1);
  EXPECT_EQ(second.front().req, 4);
  EXPECT_EQ(second.back().page_req, 4);
  // The last client event to set client.waiting leaves it at 0: every request was answered.
  std::string waiting;
  for (const auto& event : events)
    if (auto value = event.var(InFlight::kVar)) waiting = std::string(*value);
  EXPECT_EQ(waiting, "0");
}

}  // namespace
}  // namespace reqtrace::client
