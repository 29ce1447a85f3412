// request.args and request.form: percent-decoding, "+" as space, and reading wsgi.input lazily.
#include <gtest/gtest.h>

#include "sim/flask/form.hpp"
#include "sim/flask/http_exceptions.hpp"
#include "sim/flask/request.hpp"
#include "wsgi_harness.hpp"

namespace reqtrace::flask {
namespace {

TEST(UrlDecode, SplitsOnAmpersandsAndDecodes) {
  const MultiDict form = url_decode("name=Ada+L%C3%B6&x=1&x=2&flag&&empty=&a%3Db=c%26d");
  EXPECT_EQ(form.get("name"), "Ada L\xc3\xb6");
  EXPECT_EQ(form.getlist("x"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(form.get("flag"), "");
  EXPECT_EQ(form.get("empty"), "");
  EXPECT_EQ(form.get("a=b"), "c&d");
  EXPECT_EQ(form.size(), 6u);
  EXPECT_FALSE(form.get("missing").has_value());
}

TEST(UrlDecode, SemicolonsAreNotSeparatorsAndBadEscapesStay) {
  const MultiDict form = url_decode("a=1;b=2&c=%zz%4");
  EXPECT_EQ(form.get("a"), "1;b=2");
  EXPECT_EQ(form.get("c"), "%zz%4");
}

TEST(UrlQuote, KeepsUnreservedAndSafeCharacters) {
  EXPECT_EQ(url_quote("/a b/caf\xc3\xa9", "/"), "/a%20b/caf%C3%A9");
  EXPECT_EQ(url_quote("a+b", "+"), "a+b");
  EXPECT_EQ(url_unquote("%41%42%"), "AB%");
  EXPECT_EQ(url_unquote_plus("a+b%2B"), "a b+");
}

TEST(MultiDict, SubscriptOfAMissingKeyIsABadRequest) {
  const MultiDict form = url_decode("name=Ada");
  EXPECT_EQ(form["name"], "Ada");
  try {
    (void)form["email"];
    FAIL() << "expected BadRequestKeyError";
  } catch (const BadRequestKeyError& e) {
    EXPECT_EQ(e.key(), "email");
    EXPECT_EQ(e.code(), 400);
  }
}

TEST(Request, ReadsTheEnvironAsFlaskShowsIt) {
  wsgi::Environ env = testing::make_environ("GET", "//user/ada?page=2&q=a+b");
  env.vars["HTTP_USER_AGENT"] = "curl/8.0";
  env.vars["HTTP_X_FORWARDED_FOR"] = "203.0.113.5";
  const Request request(env);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/user/ada");
  EXPECT_EQ(request.args.get("q"), "a b");
  EXPECT_EQ(request.get_header("user-agent"), "curl/8.0");
  EXPECT_EQ(request.get_header("X-Forwarded-For"), "203.0.113.5");
  EXPECT_EQ(request.get_header("Host"), "localhost:5000");
}

TEST(Request, FormIsReadFromWsgiInputOnlyWhenAskedFor) {
  wsgi::Environ env = testing::make_environ("POST", "/form", "name=Ada&lang=en+GB",
                                            "application/x-www-form-urlencoded; charset=utf-8");
  const Request request(env);
  EXPECT_EQ(env.input.remaining(), 19u);  // nobody has read the body yet
  EXPECT_EQ(request.form().get("lang"), "en GB");
  EXPECT_EQ(env.input.remaining(), 0u);
  EXPECT_EQ(request.form()["name"], "Ada");  // parsed once, kept
}

TEST(Request, FormReadsNoMoreThanContentLength) {
  wsgi::Environ env =
      testing::make_environ("POST", "/form", "a=1&b=2", "application/x-www-form-urlencoded");
  env.vars["CONTENT_LENGTH"] =
      std::string("3");  // a std::string: g++ 12 -O2 misreports -Wrestrict on "3"
  const Request request(env);
  EXPECT_EQ(request.form().size(), 1u);
  EXPECT_EQ(request.form().get("a"), "1");
}

TEST(Request, OtherContentTypesGiveAnEmptyForm) {
  wsgi::Environ env = testing::make_environ("POST", "/form", "{\"name\": 1}", "application/json");
  const Request request(env);
  EXPECT_TRUE(request.form().empty());
  EXPECT_EQ(env.input.remaining(), 11u);
}

}  // namespace
}  // namespace reqtrace::flask
