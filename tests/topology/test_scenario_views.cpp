// A scenario's routes become views: placeholders, echo, raise, delay, stream, headers.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "scenario/scenario.hpp"
#include "sim/topology/scenario_views.hpp"
#include "support/route.hpp"
#include "wsgi_harness.hpp"

namespace reqtrace::topology {
namespace {

using flask::testing::CollectedEvents;
using flask::testing::run;

using reqtrace::testing::route;

// The flask-routing scenario's routes.
std::vector<scenario::Route> flask_routing() {
  std::vector<scenario::Route> routes = {
      route("/", "home", "Hello from Flask!"),
      route("/secret", "secret", "You found me!"),
      route("/user/<name>", "show_user", "Hello, {name}!"),
      route("/post/<int:post_id>", "show_post", "Post {post_id}"),
      route("/docs/", "docs", "Docs index"),
      route("/form", "form", "Got {name}", {"POST"}),
      route("/boom", "boom", ""),
  };
  routes[5].returns.echo = "name";
  routes[6].returns.raise = "ZeroDivisionError";
  return routes;
}

TEST(ScenarioViews, FlaskRoutingRoutesAnswerAsWritten) {
  const auto app = build_app(flask_routing(), {}, trace::Emitter());
  EXPECT_EQ(run(*app, "GET", "/").body, "Hello from Flask!");
  EXPECT_EQ(run(*app, "GET", "/secret").body, "You found me!");
  EXPECT_EQ(run(*app, "GET", "/user/ada").body, "Hello, ada!");
  EXPECT_EQ(run(*app, "GET", "/post/007").body, "Post 7");
  EXPECT_EQ(run(*app, "GET", "/post/abc").status, "404 NOT FOUND");
  EXPECT_EQ(run(*app, "GET", "/docs").status, "308 PERMANENT REDIRECT");
  EXPECT_EQ(run(*app, "GET", "/secret/").status, "404 NOT FOUND");
  EXPECT_EQ(run(*app, "GET", "/form").header("Allow"), "OPTIONS, POST");
  const auto posted = run(*app, "POST", "/form", "name=Ada", "application/x-www-form-urlencoded");
  EXPECT_EQ(posted.body, "Got Ada");
  EXPECT_EQ(posted.header("Content-Length"), "7");
  const auto missing_field =
      run(*app, "POST", "/form", "nom=Ada", "application/x-www-form-urlencoded");
  EXPECT_EQ(missing_field.status, "400 BAD REQUEST");
  const auto boom = run(*app, "GET", "/boom");
  EXPECT_EQ(boom.status, "500 INTERNAL SERVER ERROR");
  EXPECT_TRUE(boom.errors.ends_with("\nZeroDivisionError: division by zero\n"));
  EXPECT_EQ(run(*app, "OPTIONS", "/").header("Allow"), "GET, HEAD, OPTIONS");
}

TEST(ScenarioViews, RaisedNamesGetAPlausibleMessageOrNone) {
  auto key_error = route("/k", "k", "");
  key_error.returns.raise = "KeyError";
  auto custom = route("/c", "c", "");
  custom.returns.raise = "PaymentRequiredError";
  const auto app = build_app({key_error, custom}, {}, trace::Emitter());
  EXPECT_TRUE(run(*app, "GET", "/k").errors.ends_with("\nKeyError: 'id'\n"));
  EXPECT_TRUE(run(*app, "GET", "/c").errors.ends_with("\nPaymentRequiredError\n"));
}

TEST(ScenarioViews, FloatsFillAsPythonPrintsThem) {
  const auto app = build_app({route("/f/<float:x>", "f", "x={x} and {x}")}, {}, trace::Emitter());
  EXPECT_EQ(run(*app, "GET", "/f/2.50").body, "x=2.5 and 2.5");
  EXPECT_EQ(run(*app, "GET", "/f/0.00001").body, "x=1e-05 and 1e-05");
}

TEST(ScenarioViews, StatusHeadersAndContentType) {
  auto teapot = route("/tea", "tea", "{\"tea\": true}");
  teapot.returns.status = 418;
  teapot.returns.content_type = "application/json";
  teapot.returns.headers = {{"X-Brewed-By", "reqtrace"}};
  const auto app = build_app({teapot}, {}, trace::Emitter());
  const auto result = run(*app, "GET", "/tea");
  EXPECT_EQ(result.status, "418 I'M A TEAPOT");
  EXPECT_EQ(result.headers, (wsgi::Headers{{"Content-Type", "application/json"},
                                           {"Content-Length", "13"},
                                           {"X-Brewed-By", "reqtrace"}}));
  EXPECT_EQ(result.body, "{\"tea\": true}");
}

TEST(ScenarioViews, StreamYieldsEachChunkWithoutContentLength) {
  auto stream = route("/count/<int:n>", "count", "");
  stream.returns.stream = {"one of {n}\n", "two of {n}\n", "three\n"};
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  const auto app = build_app({stream}, {}, trace::Emitter(&recorder, trace::Actor::App, "app"));
  events.clear();  // add_url_rule
  const auto result = run(*app, "GET", "/count/3");
  EXPECT_EQ(result.headers, (wsgi::Headers{{"Content-Type", "text/html; charset=utf-8"}}));
  EXPECT_EQ(result.chunks, (std::vector<std::string>{"one of 3\n", "two of 3\n", "three\n"}));
  EXPECT_FALSE(result.known_length.has_value());
  EXPECT_NE(events.events().at(7).data.find("<generator object count>"), std::string::npos);
}

TEST(ScenarioViews, DelaySleepsInsideTheView) {
  auto slow = route("/slow", "slow", "done");
  slow.returns.delay_ms = 60;
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  const auto app = build_app({slow}, {}, trace::Emitter(&recorder, trace::Actor::App, "app"));
  events.clear();  // add_url_rule
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run(*app, "GET", "/slow").body, "done");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(60));
  const auto& all = events.events();
  ASSERT_GE(all.size(), 8u);
  EXPECT_EQ(all[6].phase, trace::Phase::View);
  EXPECT_EQ(all[7].phase, trace::Phase::ViewReturn);
  EXPECT_GE(all[7].t_ns - all[6].t_ns, 60'000'000);  // the sleep sits between view and view_return
}

TEST(ScenarioViews, MiddlewareIsAppliedOutermostFirst) {
  const auto app = build_app({route("/", "home", "hi")}, {"proxy_fix", "timing"}, trace::Emitter());
  EXPECT_EQ(app->middleware(), (std::vector<std::string>{"proxy_fix", "timing"}));
  EXPECT_TRUE(run(*app, "GET", "/").header("Server-Timing").has_value());
}

TEST(ScenarioViews, BadInputIsAnErrorAtConstruction) {
  EXPECT_THROW(build_app({route("/", "home", "hi")}, {"compress"}, trace::Emitter()),
               std::invalid_argument);
  EXPECT_THROW(build_app({route("/<oops", "home", "hi")}, {}, trace::Emitter()),
               std::invalid_argument);
  EXPECT_THROW(build_app({route("/", "home", "a"), route("/b", "home", "b")}, {}, trace::Emitter()),
               std::invalid_argument);
}

TEST(ScenarioViews, OneAppServesManyThreadsAtOnce) {
  // The threaded server shares one app between its workers: matching and views only read.
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  const auto app = build_app(flask_routing(), {"proxy_fix", "timing"},
                             trace::Emitter(&recorder, trace::Actor::App, "app"));
  events.clear();  // add_url_rule
  std::vector<std::thread> workers;
  workers.reserve(8);
  std::vector<std::string> bodies(8);
  for (int i = 0; i < 8; ++i)
    workers.emplace_back([&, i] {
      for (int n = 0; n < 25; ++n) {
        wsgi::Environ env =
            flask::testing::make_environ("GET", "/user/u" + std::to_string(i), "", "", i * 100 + n);
        bodies[static_cast<std::size_t>(i)] = run(*app, env).body;
      }
    });
  for (auto& worker : workers) worker.join();
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(bodies[static_cast<std::size_t>(i)], "Hello, u" + std::to_string(i) + "!");
  // call, 2 middleware, push_context, match, full_dispatch, preprocess, dispatch, view,
  // view_return, make_response, process_response, timing's start_response, teardown, close.
  EXPECT_EQ(events.events().size(), 8u * 25u * 15u);
}

TEST(FillPlaceholders, OnlyKnownNamesAreFilled) {
  const flask::ViewArgs args = {{"name", std::string("ada")}, {"n", std::int64_t{3}}, {"x", 0.5}};
  EXPECT_EQ(fill_placeholders("Hi {name}, {n} x {x}", args), "Hi ada, 3 x 0.5");
  EXPECT_EQ(fill_placeholders("{\"json\": {other}} {", args), "{\"json\": {other}} {");
  EXPECT_EQ(fill_placeholders("Got {field}!", args, "field", "Ada"), "Got Ada!");
  EXPECT_EQ(fill_placeholders("{name}{name}", args), "adaada");
  EXPECT_EQ(fill_placeholders("", args), "");
}

}  // namespace
}  // namespace reqtrace::topology
