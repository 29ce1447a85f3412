// WSGI middleware around app.wsgi_app: ProxyFix rewriting the environ, timing wrapping
// start_response.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "sim/flask/flask_app.hpp"
#include "sim/flask/middleware.hpp"
#include "wsgi_harness.hpp"

namespace reqtrace::flask {
namespace {

using testing::CollectedEvents;
using testing::run;

class Middleware : public ::testing::Test {
 protected:
  Middleware() : app("app", trace::Emitter(&recorder, trace::Actor::App, "app")) {
    app.add_url_rule("/whoami", "whoami", [](const Request& request) {
      const auto& env = request.environ;
      return env.get_or("REMOTE_ADDR", "") + " " + env.get_or("wsgi.url_scheme", "") + " " +
             env.get_or("HTTP_HOST", "") + " " + env.get_or("SERVER_NAME", "") + " " +
             env.get_or("SERVER_PORT", "");
    });
    app.add_url_rule("/docs/", "docs", [](const Request&) { return "Docs index"; });
    events.clear();  // the add_url_rule events
  }

  static wsgi::Environ forwarded(const std::string& path) {
    wsgi::Environ env = testing::make_environ("GET", path);
    env.vars["HTTP_X_FORWARDED_FOR"] = "198.51.100.1, 203.0.113.5";
    env.vars["HTTP_X_FORWARDED_PROTO"] = "https";
    env.vars["HTTP_X_FORWARDED_HOST"] = "example.com:8443";
    return env;
  }

  trace::Recorder recorder;
  CollectedEvents events{recorder};
  Flask app;
};

TEST_F(Middleware, WithoutProxyFixTheAppSeesTheProxy) {
  wsgi::Environ env = forwarded("/whoami");
  EXPECT_EQ(run(app, env).body, "127.0.0.1 http localhost:5000 localhost 5000");
}

TEST_F(Middleware, ProxyFixTrustsTheLastForwardedValues) {
  app.wrap_wsgi_app("proxy_fix");
  wsgi::Environ env = forwarded("/whoami");
  EXPECT_EQ(run(app, env).body, "203.0.113.5 https example.com:8443 example.com 8443");
  EXPECT_EQ(env.vars.at("werkzeug.proxy_fix.orig"),
            "{'REMOTE_ADDR': '127.0.0.1', 'wsgi.url_scheme': 'http', 'HTTP_HOST': "
            "'localhost:5000', 'SERVER_NAME': 'localhost', 'SERVER_PORT': '5000', 'SCRIPT_NAME': "
            "''}");
  const auto& all = events.events();
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(all[1].phase, trace::Phase::Middleware);
  EXPECT_EQ(all[1].var("app.state"), "ProxyFix running");
  const auto data = nlohmann::json::parse(all[1].data);
  EXPECT_EQ(data["middleware"], "proxy_fix");
  EXPECT_EQ(data["changed"]["REMOTE_ADDR"], nlohmann::json({"127.0.0.1", "203.0.113.5"}));
}

TEST_F(Middleware, ProxyFixMakesRedirectsPointAtThePublicUrl) {
  app.wrap_wsgi_app("proxy_fix");
  wsgi::Environ env = forwarded("/docs");
  EXPECT_EQ(run(app, env).header("Location"), "https://example.com:8443/docs/");
}

TEST_F(Middleware, ProxyFixWithoutForwardedHeadersChangesNothing) {
  app.wrap_wsgi_app("proxy_fix");
  EXPECT_EQ(run(app, "GET", "/whoami").body, "127.0.0.1 http localhost:5000 localhost 5000");
}

TEST_F(Middleware, TimingAddsServerTimingAfterTheAppsHeaders) {
  app.wrap_wsgi_app("timing");
  const auto result = run(app, "GET", "/docs/");
  ASSERT_EQ(result.headers.size(), 3u);
  EXPECT_EQ(result.headers[0].first, "Content-Type");
  EXPECT_EQ(result.headers[1], (std::pair<std::string, std::string>{"Content-Length", "10"}));
  EXPECT_EQ(result.headers[2].first, "Server-Timing");
  EXPECT_TRUE(std::regex_match(result.headers[2].second, std::regex(R"(app;dur=\d+\.\d{3})")))
      << result.headers[2].second;
}

TEST_F(Middleware, OutermostRunsFirstAndEachSaysSo) {
  // A scenario's ["proxy_fix", "timing"]: wrap the innermost first.
  app.wrap_wsgi_app("timing");
  app.wrap_wsgi_app("proxy_fix");
  EXPECT_EQ(app.middleware(), (std::vector<std::string>{"proxy_fix", "timing"}));
  run(app, "GET", "/docs/");
  EXPECT_EQ(events.phases(),
            (std::vector<std::string>{"call", "middleware", "middleware", "push_context", "match",
                                      "full_dispatch", "preprocess", "dispatch", "view",
                                      "view_return", "make_response", "process_response",
                                      "middleware", "teardown", "close"}));
  const auto& all = events.events();
  EXPECT_EQ(nlohmann::json::parse(all[0].data)["wsgi_app"],
            nlohmann::json({"proxy_fix", "timing", "Flask.wsgi_app"}));
  EXPECT_NE(all[1].msg.find("ProxyFix"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(all[2].data)["middleware"], "timing");
  // The timing wrapper of start_response: after process_response, before teardown.
  EXPECT_NE(all[12].msg.find("Server-Timing"), std::string::npos);
  for (const auto& event : all) EXPECT_EQ(event.level, 3);
}

TEST(MiddlewareNames, UnknownNamesAreErrors) {
  EXPECT_EQ(middleware_names(), (std::vector<std::string_view>{"proxy_fix", "timing"}));
  EXPECT_THROW(make_middleware("gzip", WsgiApp(), trace::Emitter()), std::invalid_argument);
  Flask app("app", trace::Emitter());
  EXPECT_THROW(app.wrap_wsgi_app("cors"), std::invalid_argument);
  EXPECT_TRUE(app.middleware().empty());
}

}  // namespace
}  // namespace reqtrace::flask
