// environ as PEP 3333 and gunicorn build it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/wsgi/environ_builder.hpp"

namespace reqtrace::wsgi {
namespace {

http::Request make_request() {
  http::Request request;
  request.method = "POST";
  request.target = "/caf%C3%A9/a%2Fb?q=a%20b&x=1";
  request.path = "/caf%C3%A9/a%2Fb";
  request.query = "q=a%20b&x=1";
  request.headers = {{"Host", "example.test:8000"},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Content-Length", "7"},
                     {"Accept", "text/html"},
                     {"Accept", "*/*"},
                     {"X-Forwarded-For", "10.0.0.1"},
                     {"X_Forwarded_For", "6.6.6.6"}};
  request.body = "name=Ad";
  return request;
}

TEST(Environ, HasEveryKeyThePepRequires) {
  Environ environ = build_environ(make_request(), {"127.0.0.1", 50123, "127.0.0.1", 8000, "http"},
                                  ServerTraits{}, 3);
  EXPECT_EQ(environ.get("REQUEST_METHOD"), "POST");
  EXPECT_EQ(environ.get("SCRIPT_NAME"), "");
  EXPECT_EQ(environ.get("PATH_INFO"), "/caf\xC3\xA9/a/b");  // decoded, as bytes
  EXPECT_EQ(environ.get("QUERY_STRING"), "q=a%20b&x=1");    // raw
  EXPECT_EQ(environ.get("CONTENT_TYPE"), "application/x-www-form-urlencoded");
  EXPECT_EQ(environ.get("CONTENT_LENGTH"), "7");
  EXPECT_EQ(environ.get("SERVER_NAME"), "127.0.0.1");
  EXPECT_EQ(environ.get("SERVER_PORT"), "8000");
  EXPECT_EQ(environ.get("SERVER_PROTOCOL"), "HTTP/1.1");
  EXPECT_EQ(environ.get("REMOTE_ADDR"), "127.0.0.1");
  EXPECT_EQ(environ.get("REMOTE_PORT"), "50123");
  EXPECT_EQ(environ.get("HTTP_HOST"), "example.test:8000");
  EXPECT_EQ(environ.get("wsgi.url_scheme"), "http");
  EXPECT_EQ(environ.get("reqtrace.req"), "3");
  EXPECT_FALSE(environ.get("HTTP_CONTENT_TYPE"));  // not duplicated as HTTP_*
  EXPECT_EQ(environ.version_major, 1);
  EXPECT_EQ(environ.version_minor, 0);
  EXPECT_EQ(environ.input.read(), "name=Ad");
}

TEST(Environ, RepeatedHeadersJoinAndUnderscoredNamesAreDropped) {
  Environ environ = build_environ(make_request(), {}, ServerTraits{}, 1);
  EXPECT_EQ(environ.get("HTTP_ACCEPT"), "text/html,*/*");
  // X_Forwarded_For must not pose as X-Forwarded-For.
  EXPECT_EQ(environ.get("HTTP_X_FORWARDED_FOR"), "10.0.0.1");
}

TEST(Environ, ModelFlagsTellTheTruth) {
  ServerTraits threaded;
  threaded.multithread = true;
  Environ environ = build_environ(make_request(), {}, threaded, 1);
  EXPECT_TRUE(environ.multithread);
  EXPECT_FALSE(environ.multiprocess);
  auto json = environ.to_json();
  EXPECT_EQ(json["wsgi.multithread"], "True");
  EXPECT_EQ(json["wsgi.version"], "(1, 0)");
}

}  // namespace
}  // namespace reqtrace::wsgi
