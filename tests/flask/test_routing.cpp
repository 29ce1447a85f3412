// Werkzeug 2.2 routing: which rule a path and method reach, or 404, 405 and 308.
// The expectations were taken from Werkzeug itself for the same rules and requests.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/flask/http_exceptions.hpp"
#include "sim/flask/url_map.hpp"

namespace reqtrace::flask {
namespace {

struct Expected {
  enum class Kind { Ok, Missing, NotAllowed, Redirect } kind;
  std::string endpoint;  // Ok
  ViewArgs args;         // Ok
  std::string detail;    // NotAllowed: the Allow header; Redirect: the Location
};

Expected Ok(std::string endpoint, ViewArgs args) {
  return {Expected::Kind::Ok, std::move(endpoint), std::move(args), {}};
}
Expected Missing() {
  return {Expected::Kind::Missing, {}, {}, {}};
}
Expected NotAllowed(std::string allow) {
  return {Expected::Kind::NotAllowed, {}, {}, std::move(allow)};
}
Expected Redirect(std::string location) {
  return {Expected::Kind::Redirect, {}, {}, std::move(location)};
}
ViewArg S(const char* text) {
  return std::string(text);
}
ViewArg I(std::int64_t number) {
  return number;
}
ViewArg F(double number) {
  return number;
}

struct Case {
  std::string path;
  std::string method;
  Expected expected;
};

struct RuleSpec {
  std::string rule;
  std::string endpoint;
  std::vector<std::string> methods = {"GET"};
  bool strict_slashes = true;
};

class RoutingTable : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<RuleSpec> rules = {
        {"/", "index"},
        {"/about", "about"},
        {"/<name>", "page"},
        {"/user/<name>", "user"},
        {"/user/new", "user_new"},
        {"/user/<name>/edit", "user_edit"},
        {"/post/<int:post_id>", "post"},
        {"/post/<path:rest>", "post_path"},
        {"/files/<path:p>", "files"},
        {"/files/<path:p>/edit", "files_edit"},
        {"/dl/<path:p>/", "dl"},
        {"/f/<float:x>", "float"},
        {"/lang/<string(length=2):code>", "lang"},
        {"/kind/<any(a, b, 'c d'):k>", "kind"},
        {"/n/<int(min=1, max=9):n>", "bounded"},
        {"/d/<int(fixed_digits=4):y>", "digits"},
        {"/s/<int(signed=True):v>", "signed"},
        {"/docs/", "docs"},
        {"/secret", "secret"},
        {"/form", "form", {"POST"}},
        {"/form2", "form2", {"GET", "PUT"}},
        {"/mix/<a>-<b>", "mix"},
        {"/mix/<a>", "mix1"},
        {"/loose/", "loose", {"GET"}, false},
        {"/loose2", "loose2", {"GET"}, false},
        {"/short/<string(maxlength=3):s>", "short"},
    };
    for (const auto& spec : rules)
      url_map.add(Rule(spec.rule, spec.endpoint, spec.methods, spec.strict_slashes));
  }

  Map url_map;
};

TEST_F(RoutingTable, MatchesAsWerkzeugDoes) {
  const std::vector<Case> cases = {
      {"/", "GET", Ok("index", {})},
      {"/about", "GET", Ok("about", {})},
      {"/ada", "GET", Ok("page", {{"name", S("ada")}})},
      {"/user/ada", "GET", Ok("user", {{"name", S("ada")}})},
      {"/user/new", "GET", Ok("user_new", {})},
      // The static "new" leads nowhere for ".../edit": the matcher backtracks to <name>.
      {"/user/new/edit", "GET", Ok("user_edit", {{"name", S("new")}})},
      {"/user/ada/edit", "GET", Ok("user_edit", {{"name", S("ada")}})},
      {"/post/7", "GET", Ok("post", {{"post_id", I(7)}})},
      {"/post/007", "GET", Ok("post", {{"post_id", I(7)}})},
      {"/post/abc", "GET", Ok("post_path", {{"rest", S("abc")}})},
      {"/post/a/b", "GET", Ok("post_path", {{"rest", S("a/b")}})},
      {"/files/a/b/c.txt", "GET", Ok("files", {{"p", S("a/b/c.txt")}})},
      {"/files/a/b/edit", "GET", Ok("files_edit", {{"p", S("a/b")}})},
      {"/files/", "GET", Missing()},
      {"/dl/x/y", "GET", Redirect("http://example.org/dl/x/y/")},
      {"/dl/x/y/", "GET", Ok("dl", {{"p", S("x/y")}})},
      {"/f/1.5", "GET", Ok("float", {{"x", F(1.5)}})},
      {"/f/1", "GET", Missing()},
      {"/f/0.00001", "GET", Ok("float", {{"x", F(1e-05)}})},
      {"/lang/en", "GET", Ok("lang", {{"code", S("en")}})},
      {"/lang/eng", "GET", Missing()},
      {"/kind/a", "GET", Ok("kind", {{"k", S("a")}})},
      {"/kind/c d", "GET", Ok("kind", {{"k", S("c d")}})},
      {"/kind/x", "GET", Missing()},
      {"/n/5", "GET", Ok("bounded", {{"n", I(5)}})},
      {"/n/0", "GET", Missing()},
      {"/n/10", "GET", Missing()},
      {"/d/2024", "GET", Ok("digits", {{"y", I(2024)}})},
      {"/d/24", "GET", Missing()},
      {"/s/-5", "GET", Ok("signed", {{"v", I(-5)}})},
      {"/s/5", "GET", Ok("signed", {{"v", I(5)}})},
      {"/docs", "GET", Redirect("http://example.org/docs/")},
      {"/docs/", "GET", Ok("docs", {})},
      {"/secret/", "GET", Missing()},
      {"/secret", "HEAD", Ok("secret", {})},
      {"/secret", "POST", NotAllowed("GET, HEAD")},
      {"/form", "GET", Ok("page", {{"name", S("form")}})},
      {"/form", "POST", Ok("form", {})},
      {"/form2", "DELETE", NotAllowed("GET, HEAD, PUT")},
      {"/mix/x-y", "GET", Ok("mix", {{"a", S("x")}, {"b", S("y")}})},
      {"/mix/xy", "GET", Ok("mix1", {{"a", S("xy")}})},
      {"/mix/a-b-c", "GET", Ok("mix", {{"a", S("a-b")}, {"b", S("c")}})},
      {"/loose", "GET", Ok("loose", {})},
      {"/loose/", "GET", Ok("loose", {})},
      {"/loose2/", "GET", Ok("loose2", {})},
      {"/loose2", "GET", Ok("loose2", {})},
      {"/user//ada", "GET", Redirect("http://example.org/user/ada")},
      {"//about", "GET", Ok("about", {})},
      {"/short/abc", "GET", Ok("short", {{"s", S("abc")}})},
      {"/short/abcd", "GET", Missing()},
      {"/user/ada/", "GET", Missing()},
      {"/missing/deep", "GET", Missing()},
      {"", "GET", Redirect("http://example.org/")},
      // "/docs/" wants the slash, but it is "/<name>" that matches "/docs" and refuses POST.
      {"/docs", "POST", NotAllowed("GET, HEAD")},
      {"/user/a%2Fb", "GET", Ok("user", {{"name", S("a%2Fb")}})},
  };
  const MapAdapter adapter = url_map.bind("example.org");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " '" + c.path + "'");
    switch (c.expected.kind) {
      case Expected::Kind::Ok: {
        const MatchResult result = adapter.match(c.path, c.method);
        ASSERT_NE(result.rule, nullptr);
        EXPECT_EQ(result.rule->endpoint(), c.expected.endpoint);
        EXPECT_EQ(result.view_args, c.expected.args);
        break;
      }
      case Expected::Kind::Missing:
        EXPECT_THROW(adapter.match(c.path, c.method), NotFound);
        break;
      case Expected::Kind::NotAllowed:
        try {
          adapter.match(c.path, c.method);
          ADD_FAILURE() << "expected 405";
        } catch (const MethodNotAllowed& e) {
          const Response response = e.get_response();
          EXPECT_EQ(response.get_header("Allow"), c.expected.detail);
        }
        break;
      case Expected::Kind::Redirect:
        try {
          adapter.match(c.path, c.method);
          ADD_FAILURE() << "expected 308";
        } catch (const RequestRedirect& e) {
          EXPECT_EQ(e.code(), 308);
          EXPECT_EQ(e.new_url(), c.expected.detail);
        }
        break;
    }
  }
}

TEST(Rule, GetBringsHeadAndMethodsAreUpperCase) {
  const Rule rule("/", "index", {"get", "post"});
  EXPECT_EQ(rule.methods(), (std::set<std::string>{"GET", "HEAD", "POST"}));
  EXPECT_TRUE(rule.accepts("HEAD"));
  EXPECT_FALSE(rule.accepts("PUT"));
  const Rule only_post("/form", "form", {"POST"});
  EXPECT_EQ(only_post.methods(), (std::set<std::string>{"POST"}));
  const Rule any_method("/any", "any");
  EXPECT_TRUE(any_method.accepts("DELETE"));
}

TEST(Rule, CutsTheRuleIntoPartsAtSlashes) {
  const Rule rule("/user/<int:id>/posts", "posts");
  ASSERT_EQ(rule.parts().size(), 4u);
  EXPECT_EQ(rule.parts()[0].content, "");
  EXPECT_EQ(rule.parts()[1].content, "user");
  EXPECT_TRUE(rule.parts()[1].is_static);
  EXPECT_EQ(rule.parts()[2].content, "(\\d+)\\Z");
  EXPECT_FALSE(rule.parts()[2].is_static);
  EXPECT_EQ(rule.parts()[3].content, "posts");
  EXPECT_EQ(rule.arguments(), std::vector<std::string>{"id"});
}

TEST(Rule, APathConverterTakesTheRestOfTheRuleIntoItsPart) {
  const Rule rule("/files/<path:p>/edit", "edit");
  ASSERT_EQ(rule.parts().size(), 3u);
  EXPECT_TRUE(rule.parts()[2].final);
  EXPECT_EQ(rule.parts()[2].content, "([^/].*?)/edit\\Z");
  const Rule slashed("/dl/<path:p>/", "dl");
  ASSERT_EQ(slashed.parts().size(), 4u);
  EXPECT_TRUE(slashed.parts()[2].suffixed);
  EXPECT_EQ(slashed.parts()[2].content, "([^/].*?)(?<!/)(/?)\\Z");
  EXPECT_EQ(slashed.parts()[3].content, "");
}

TEST(Rule, MalformedRulesAreRefused) {
  EXPECT_THROW(Rule("no-slash", "x"), std::invalid_argument);
  EXPECT_THROW(Rule("/<unclosed", "x"), std::invalid_argument);
  EXPECT_THROW(Rule("/<int:>", "x"), std::invalid_argument);
  EXPECT_THROW(Rule("/<1name>", "x"), std::invalid_argument);
  EXPECT_THROW(Rule("/<nope:x>", "x"), std::invalid_argument);
  EXPECT_THROW(Rule("/<a>/<a>", "x"), std::invalid_argument);
  EXPECT_THROW(Rule("/<int(bogus=1):x>", "x"), std::invalid_argument);
}

TEST(Rule, WeightsPutStaticTextFirstAndLighterConvertersBeforeHeavier) {
  const auto weight_of_last_part = [](const std::string& text) {
    return Rule(text, "e").parts().back().weight;
  };
  // More static text in the segment wins over less.
  EXPECT_LT(weight_of_last_part("/x/<a>-<b>"), weight_of_last_part("/x/<a>"));
  // int (50) before string (100) before path (200).
  EXPECT_LT(weight_of_last_part("/x/<int:a>"), weight_of_last_part("/x/<a>"));
  EXPECT_LT(weight_of_last_part("/x/<a>"), weight_of_last_part("/x/<path:a>"));
}

TEST(RuleOrdering, DoesNotDependOnTheOrderRulesWereAdded) {
  const std::vector<std::pair<std::string, std::string>> rules = {
      {"/<path:p>", "path"}, {"/<name>", "string"}, {"/<int:n>", "int"}, {"/about", "static"}};
  for (int reversed = 0; reversed < 2; ++reversed) {
    SCOPED_TRACE(reversed ? "added in reverse" : "added in order");
    Map url_map;
    if (reversed)
      for (auto it = rules.rbegin(); it != rules.rend(); ++it)
        url_map.add(Rule(it->first, it->second, {"GET"}));
    else
      for (const auto& [rule, endpoint] : rules) url_map.add(Rule(rule, endpoint, {"GET"}));
    const auto endpoint = [&](const std::string& path) {
      return url_map.match(path, "GET", "localhost").rule->endpoint();
    };
    EXPECT_EQ(endpoint("/about"), "static");
    EXPECT_EQ(endpoint("/42"), "int");
    EXPECT_EQ(endpoint("/ada"), "string");
    EXPECT_EQ(endpoint("/a/b"), "path");
  }
}

TEST(RuleOrdering, EqualWeightsKeepTheOrderTheyWereAddedIn) {
  Map url_map;
  url_map.add(Rule("/<any(a, b):x>", "first", {"GET"}));
  url_map.add(Rule("/<y>", "second", {"GET"}));
  EXPECT_EQ(url_map.match("/a", "GET", "h").rule->endpoint(), "first");
  EXPECT_EQ(url_map.match("/c", "GET", "h").rule->endpoint(), "second");
}

TEST(MapAdapter, RedirectKeepsTheQueryStringAndHost) {
  Map url_map;
  url_map.add(Rule("/docs/", "docs", {"GET"}));
  try {
    url_map.match("/docs", "GET", "localhost:5000", "page=2&q=a b");
    ADD_FAILURE() << "expected a redirect";
  } catch (const RequestRedirect& e) {
    EXPECT_EQ(e.new_url(), "http://localhost:5000/docs/?page=2&q=a b");
  }
  try {
    url_map.match("/docs", "GET", "example.org", "", "https");
    ADD_FAILURE() << "expected a redirect";
  } catch (const RequestRedirect& e) {
    EXPECT_EQ(e.new_url(), "https://example.org/docs/");
  }
}

TEST(MapAdapter, BindToEnvironReadsHostSchemeScriptNameAndQuery) {
  Map url_map;
  url_map.add(Rule("/docs/", "docs", {"GET"}));
  wsgi::Environ env;
  env.vars = {{"wsgi.url_scheme", "http"},
              {"SERVER_NAME", "Example.ORG"},
              {"SERVER_PORT", "80"},
              {"SCRIPT_NAME", "/app"},
              {"QUERY_STRING", "x=1"}};
  const MapAdapter adapter = url_map.bind_to_environ(env);
  EXPECT_EQ(adapter.server_name(), "example.org");  // the default port is left out
  const MatchOutcome outcome = adapter.try_match("/docs", "GET");
  EXPECT_EQ(outcome.kind, MatchOutcome::Kind::Redirect);
  EXPECT_EQ(outcome.new_url, "http://example.org/app/docs/?x=1");
}

TEST(MapAdapter, RedirectPathIsPercentEncoded) {
  Map url_map;
  url_map.add(Rule("/<name>/", "page", {"GET"}));
  const MatchOutcome outcome = url_map.bind("h").try_match("/caf\xc3\xa9 menu", "GET");
  EXPECT_EQ(outcome.kind, MatchOutcome::Kind::Redirect);
  EXPECT_EQ(outcome.new_url, "http://h/caf%C3%A9%20menu/");
}

TEST(MapAdapter, AllowedMethodsCollectsEveryRuleForThePath) {
  Map url_map;
  url_map.add(Rule("/item", "read", {"GET"}));
  url_map.add(Rule("/item", "write", {"POST", "PUT"}));
  EXPECT_EQ(url_map.bind("h").allowed_methods("/item"),
            (std::vector<std::string>{"GET", "HEAD", "POST", "PUT"}));
  EXPECT_TRUE(url_map.bind("h").allowed_methods("/nothing").empty());
  EXPECT_EQ(url_map.match("/item", "PUT", "h").rule->endpoint(), "write");
}

TEST(MapAdapter, OutcomesCarryAReasonForTheTrace) {
  Map url_map;
  url_map.add(Rule("/n/<int(max=9):n>", "n", {"GET"}));
  const MapAdapter adapter = url_map.bind("h");
  const MatchOutcome refused = adapter.try_match("/n/12", "GET");
  EXPECT_EQ(refused.code(), 404);
  EXPECT_NE(refused.reason.find("ValidationError"), std::string::npos);
  const MatchOutcome nothing = adapter.try_match("/zzz", "GET");
  EXPECT_EQ(nothing.reason, "no rule matches '/zzz'");
  const MatchOutcome wrong_method = adapter.try_match("/n/1", "POST");
  EXPECT_EQ(wrong_method.code(), 405);
  EXPECT_EQ(wrong_method.valid_methods, (std::vector<std::string>{"GET", "HEAD"}));
}

}  // namespace
}  // namespace reqtrace::flask
