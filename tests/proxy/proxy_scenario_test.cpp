// topology.proxy in a scenario: what the loader accepts and refuses, and the Stack bringing the
// proxy up in front of the server.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "proxy_fixture.hpp"
#include "scenario/load.hpp"
#include "sim/http/request.hpp"
#include "sim/proxy/nginx_variables.hpp"
#include "sim/topology/stack.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::scenario {
namespace {

using nlohmann::json;
using Strings = std::vector<std::string>;

Strings problems(const std::string& text) {
  Loaded loaded = load_text(text, "p.json");
  Strings out;
  for (const Problem& problem : loaded.problems) out.push_back(problem.to_string());
  return out;
}

std::string with_proxy(const std::string& proxy) {
  return R"({"id": "p", "title": "P",
  "topology": {"proxy": )" +
         proxy + R"(},
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]}, "requests": [{"path": "/"}]})";
}

TEST(ProxyScenario, DefaultsAreNginxs) {
  Loaded loaded = load_text(with_proxy("{}"), "p.json");
  ASSERT_TRUE(loaded) << loaded.problems[0].to_string();
  ASSERT_TRUE(loaded.scenario->topology.proxy);
  const Proxy& proxy = *loaded.scenario->topology.proxy;
  EXPECT_EQ(proxy.static_root, "");
  EXPECT_EQ(proxy.static_prefix, "/static/");
  EXPECT_EQ(proxy.upstream, UpstreamProtocol::Http);
  EXPECT_EQ(proxy.upstream_timeout_ms, 60000);
  EXPECT_EQ(proxy.connect_timeout_ms, 60000);
  EXPECT_TRUE(proxy.proxy_set_header.empty());  // only nginx's own defaults
  EXPECT_TRUE(proxy.proxy_buffering);
}

TEST(ProxyScenario, ProxySetHeaderLinesAsNginxWritesThem) {
  Loaded loaded = load_text(with_proxy(R"({"proxy_set_header": ["X-Real-IP $remote_addr",
    "X-Forwarded-For   $proxy_add_x_forwarded_for", "Host $host:${server_port}",
    "Accept-Encoding \"\"", "X-Ua $http_user_agent"], "proxy_buffering": false})"),
                            "p.json");
  ASSERT_TRUE(loaded) << loaded.problems[0].to_string();
  const Proxy& proxy = *loaded.scenario->topology.proxy;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"X-Real-IP", "$remote_addr"},
      {"X-Forwarded-For", "$proxy_add_x_forwarded_for"},
      {"Host", "$host:${server_port}"},
      {"Accept-Encoding", ""},
      {"X-Ua", "$http_user_agent"}};
  EXPECT_EQ(proxy.proxy_set_header, expected);
  EXPECT_FALSE(proxy.proxy_buffering);
}

TEST(ProxyScenario, ProxySetHeaderMistakesNameTheLine) {
  const Strings unknown = problems(with_proxy(R"({"proxy_set_header": ["X-Real-IP $client_ip"]})"));
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(
      unknown[0].rfind("p.json:2:47: /topology/proxy/proxy_set_header/0: unknown nginx "
                       "variable \"$client_ip\" in \"X-Real-IP\"; expected one of $remote_addr,",
                       0),
      0u)
      << unknown[0];
  EXPECT_EQ(problems(with_proxy(R"({"proxy_set_header": ["X-Real-IP"]})")),
            Strings{"p.json:2:47: /topology/proxy/proxy_set_header/0: expected a proxy_set_header "
                    "line, a field name then its value, such as \"X-Real-IP $remote_addr\", got "
                    "\"X-Real-IP\" (no value; write \"\" for an empty one)"});
  EXPECT_EQ(problems(with_proxy(R"({"proxy_set_header": ["Bad:Name x"]})")),
            Strings{"p.json:2:47: /topology/proxy/proxy_set_header/0: expected a proxy_set_header "
                    "line, a field name then its value, such as \"X-Real-IP $remote_addr\", got "
                    "\"Bad:Name x\""});
}

TEST(ProxyScenario, EveryVariableTheLoaderAcceptsHasAValue) {
  http::Request request;
  request.method = "GET";
  request.target = "/";
  request.headers = {{"Host", "t"}};
  const proxy::VariableSource source{request,     {"127.0.0.1", 1}, {"127.0.0.1", 2},
                                     "localhost", "127.0.0.1:3",    "/usr/share/nginx/html"};
  for (std::string_view name : kProxyVariables) {
    std::string value;
    EXPECT_TRUE(proxy::variable_value(name, source, value)) << name;
  }
}

TEST(ProxyScenario, ReadsEveryKey) {
  Loaded loaded = load_text(with_proxy(R"({"static_root": "site/v2", "static_prefix": "/assets/",
    "upstream": "uwsgi", "upstream_timeout_ms": 250, "connect_timeout_ms": 100})"),
                            "p.json");
  ASSERT_TRUE(loaded) << loaded.problems[0].to_string();
  const Proxy& proxy = *loaded.scenario->topology.proxy;
  EXPECT_EQ(proxy.static_root, "site/v2");
  EXPECT_EQ(proxy.static_prefix, "/assets/");
  EXPECT_EQ(proxy.upstream, UpstreamProtocol::Uwsgi);
  EXPECT_EQ(proxy.upstream_timeout_ms, 250);
  EXPECT_EQ(proxy.connect_timeout_ms, 100);
  EXPECT_TRUE(load_text(with_proxy(R"({"static_root": "/srv/www"})"), "p.json"));
}

TEST(ProxyScenario, EachMistakeAtItsPlace) {
  EXPECT_EQ(problems(with_proxy(R"({"upstream": "fastcgi"})")),
            Strings{"p.json:2:38: /topology/proxy/upstream: expected one of http, uwsgi, got "
                    "\"fastcgi\""});
  EXPECT_EQ(problems(with_proxy(R"({"root": "site"})")),
            Strings{"p.json:2:26: /topology/proxy/root: unknown key \"root\"; expected one of: "
                    "static_root, static_prefix, upstream, upstream_timeout_ms, "
                    "connect_timeout_ms, proxy_set_header, proxy_buffering"});
  EXPECT_EQ(problems(with_proxy(R"({"upstream_timeout_ms": 0, "connect_timeout_ms": "5"})")),
            (Strings{"p.json:2:49: /topology/proxy/upstream_timeout_ms: expected an integer from "
                     "1 to 600000, got 0",
                     "p.json:2:74: /topology/proxy/connect_timeout_ms: expected an integer from "
                     "1 to 600000, got \"5\""}));
  EXPECT_EQ(problems(with_proxy(R"("nginx")")),
            Strings{"p.json:2:25: /topology/proxy: expected null or an object, got \"nginx\""});
}

TEST(ProxyScenario, StaticRootStaysUnderAssetsAndThePrefixIsAPrefix) {
  for (const char* root : {"../etc", "site/../..", "", "./site", "site//x", "a b", "C:\\\\x"}) {
    SCOPED_TRACE(root);
    const Strings found = problems(with_proxy(R"({"static_root": ")" + std::string(root) + "\"}"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("/topology/proxy/static_root: expected a folder under assets/"),
              std::string::npos)
        << found[0];
  }
  for (const char* prefix : {"static", "/static", "static/", "/", "//", "/a/../b/", "/a b/"}) {
    SCOPED_TRACE(prefix);
    const Strings found =
        problems(with_proxy(R"({"static_prefix": ")" + std::string(prefix) + "\"}"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("/topology/proxy/static_prefix: expected a path prefix that starts "
                            "and ends with \"/\""),
              std::string::npos)
        << found[0];
  }
}

// The Stack with a proxy in front: the front door is the proxy's.
class ProxyStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(folder.path().empty());
    folder.write("assets/site/style.css", "h1 { color: teal; }\n");
    recorder.add_sink([this](const std::vector<trace::Event>& batch) {
      std::lock_guard<std::mutex> lock(mutex);
      events.insert(events.end(), batch.begin(), batch.end());
    });
  }
  Scenario scenario(const json& proxy, const std::string& model = "threaded") {
    json document = {
        {"id", "p"},
        {"title", "P"},
        {"topology", {{"proxy", proxy}, {"server", {{"model", model}, {"workers", 2}}}}},
        {"app",
         {{"routes",
           {{{"rule", "/"}, {"endpoint", "home"}, {"returns", {{"body", "from the app"}}}}}}}},
        {"requests", {{{"path", "/"}}}}};
    Loaded loaded = load_json(document, "p.json");
    EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
    return *loaded.scenario;
  }
  std::string get(const topology::Stack& stack, const std::string& path) {
    reqtrace::testing::RawClient client(stack.front_door().port);
    client.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    return client.read_until_close(30000);
  }
  // Whether the proxy said it passed a request on with uwsgi_pass.
  bool forwarded_over_uwsgi() const {
    return std::any_of(events.begin(), events.end(), [](const trace::Event& event) {
      return event.actor == trace::Actor::Proxy && event.phase == trace::Phase::Forward &&
             event.msg.find("uwsgi_pass") != std::string::npos;
    });
  }

  reqtrace::testing::TempFolder folder;
  std::mutex mutex;
  std::vector<trace::Event> events;  // before the recorder: its last flush lands here
  trace::Recorder recorder;
};

TEST_F(ProxyStackTest, TheProxyTakesTheFrontDoorAndTheServerHidesBehindIt) {
  topology::Listen listen;
  listen.assets = folder.path() / "assets";
  std::string error;
  auto stack =
      topology::Stack::start(scenario({{"static_root", "site"}}), &recorder, listen, error);
  ASSERT_TRUE(stack) << error;
  const std::string file = get(*stack, "/static/style.css");
  EXPECT_EQ(reqtrace::testing::status_of(file), 200) << file;
  EXPECT_EQ(reqtrace::testing::body_of(file), "h1 { color: teal; }\n");
  const std::string page = get(*stack, "/");
  EXPECT_EQ(reqtrace::testing::body_of(page), "from the app");
  EXPECT_EQ(reqtrace::testing::header_of(page, "Server"), "nginx (reqtrace)");
  stack->stop();
  recorder.flush();
  int proxy_listening = 0, server_listening = 0;
  for (const auto& event : events)
    if (event.phase == trace::Phase::Listening)
      ++(event.actor == trace::Actor::Proxy ? proxy_listening : server_listening);
  EXPECT_EQ(proxy_listening, 1);
  EXPECT_EQ(server_listening, 1);
}

TEST_F(ProxyStackTest, UwsgiUpstreamThroughTheStack) {
  std::string error;
  auto stack = topology::Stack::start(scenario({{"upstream", "uwsgi"}}), &recorder, {}, error);
  ASSERT_TRUE(stack) << error;
  EXPECT_EQ(reqtrace::testing::body_of(get(*stack, "/")), "from the app");
  stack->stop();
  recorder.flush();
  EXPECT_TRUE(forwarded_over_uwsgi());
}

// As uWSGI is: a master and worker processes, behind uwsgi_pass (the nginx-uwsgi lesson).
TEST_F(ProxyStackTest, UwsgiUpstreamToAPreforkServer) {
  std::string error;
  auto stack =
      topology::Stack::start(scenario({{"upstream", "uwsgi"}}, "prefork"), &recorder, {}, error);
  ASSERT_TRUE(stack) << error;
  EXPECT_EQ(reqtrace::testing::body_of(get(*stack, "/")), "from the app");
  EXPECT_EQ(reqtrace::testing::body_of(get(*stack, "/")), "from the app");
  stack->stop();
  recorder.flush();
  EXPECT_TRUE(forwarded_over_uwsgi());
}

TEST_F(ProxyStackTest, AStaticRootThatIsNotThereIsAnErrorAtStart) {
  std::string error;
  EXPECT_FALSE(topology::Stack::start(scenario({{"static_root", "site"}}), &recorder, {}, error));
  EXPECT_NE(error.find("static_root \"site\" names a folder under assets/"), std::string::npos)
      << error;
  topology::Listen listen;
  listen.assets = folder.path() / "assets";
  EXPECT_FALSE(
      topology::Stack::start(scenario({{"static_root", "missing"}}), &recorder, listen, error));
  EXPECT_NE(error.find("is not a folder"), std::string::npos) << error;
}

}  // namespace
}  // namespace reqtrace::scenario
