// A student's broken app through the command line: a file that cannot be imported, or has no
// callable, stops reqtrace with exit 2 and says what is missing; an app that breaks PEP 3333 at
// run time gets the server's 500, the rule it broke in the trace, and the next request is served.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_path.hpp"

namespace {

using nlohmann::json;
using reqtrace::testing::run_process;
using reqtrace::testing::write_temp_file;
namespace fs = std::filesystem;

// The actions of `req`'s steps, one per line.
std::string actions_of(const json& out, int req) {
  std::string actions;
  for (const auto& step : out["steps"])
    if (step["req"] == req) actions += step["action"].get<std::string>() + "\n";
  return actions;
}

// One way to break PEP 3333 per path; "/" is a well-behaved app.
constexpr const char* kRuleBreaker = R"(def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/str":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return ["a str, not bytes"]
    if path == "/twice":
        start_response("200 OK", [])
        start_response("404 Not Found", [])
    if path == "/status":
        start_response(200, [])
    if path == "/headers":
        start_response("200 OK", {"Content-Type": "text/plain"})
    if path == "/hop":
        start_response("200 OK", [("Transfer-Encoding", "chunked")])
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"still serving"]
)";

TEST(BadApp, EachBrokenRuleIsA500NamingItAndTheServerGoesOn) {
  const auto app = write_temp_file("bad-app", "rule_breaker.py", kRuleBreaker);
  auto result =
      run_process({REQTRACE_BINARY, "run", "--wsgi", app.string(), "--json", "--request",
                   "GET /str", "--request", "GET /twice", "--request", "GET /status", "--request",
                   "GET /headers", "--request", "GET /hop", "--request", "GET /"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json out = json::parse(result.out);
  ASSERT_EQ(out["responses"].size(), 6u) << result.out;
  const std::vector<std::string> broken = {
      "the app's iterable yielded str, not bytes (PEP 3333: the body is bytes",
      ("AssertionError: start_response() at rule_breaker.py:8: called a second time without "
       "exc_info (PEP 3333"),
      ("TypeError: start_response() at rule_breaker.py:10: the status must be a str, not int "
       "(PEP 3333"),
      ("TypeError: start_response() at rule_breaker.py:12: response_headers must be a list, not "
       "dict (PEP 3333"),
      ("AssertionError: start_response() at rule_breaker.py:14: header \"Transfer-Encoding\" is "
       "hop-by-hop: only the server may set it (PEP 3333)"),
  };
  for (std::size_t i = 0; i < broken.size(); ++i) {
    SCOPED_TRACE(broken[i]);
    EXPECT_EQ(out["responses"][i]["status"], 500);
    const std::string actions = actions_of(out, static_cast<int>(i) + 1);
    EXPECT_NE(actions.find("Server answers 500: "), std::string::npos) << actions;
    EXPECT_NE(actions.find(broken[i]), std::string::npos) << actions;
  }
  EXPECT_EQ(out["responses"][5]["status"], 200);
  EXPECT_EQ(out["responses"][5]["body"], "still serving");
}

TEST(BadApp, AViewsExceptionTakesFlasksOwn500PathAndIsLoggedOnWsgiErrors) {
  const auto app = write_temp_file("bad-app", "buggy_shop.py", R"(from flask import Flask

app = Flask(__name__)


@app.route("/")
def home():
    return "open"


@app.route("/discount")
def discount():
    return str(100 // 0)
)");
  auto result = run_process({REQTRACE_BINARY, "run", "--wsgi", app.string(), "--json", "--level",
                             "2", "--request", "GET /discount", "--request", "GET /"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json out = json::parse(result.out);
  ASSERT_EQ(out["responses"].size(), 2u) << result.out;
  EXPECT_EQ(out["responses"][0]["status"], 500);
  EXPECT_NE(out["responses"][0]["body"].get<std::string>().find("<h1>Internal Server Error</h1>"),
            std::string::npos);
  // Flask answered, not the server: the 500 went through start_response like any status.
  const std::string actions = actions_of(out, 1);
  EXPECT_NE(actions.find("start_response(\"500 INTERNAL SERVER ERROR\""), std::string::npos)
      << actions;
  EXPECT_EQ(actions.find("Server answers 500"), std::string::npos) << actions;
  // handle_exception's log_exception, through Flask's default handler, onto wsgi.errors.
  EXPECT_NE(result.err.find("ERROR in app: Exception on /discount [GET]"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("buggy_shop.py\", line 13, in discount"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("ZeroDivisionError: integer division or modulo by zero"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(out["responses"][1]["status"], 200);
  EXPECT_EQ(out["responses"][1]["body"], "open");
}

TEST(BadApp, AMissingCallableIsBadInputNamingIt) {
  const auto app = write_temp_file("bad-app", "nameless_shop.py",
                                   "from flask import Flask\nshop = Flask(__name__)\n");
  auto result = run_process({REQTRACE_BINARY, "run", "--wsgi", app.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("nameless_shop.py: defines neither `app` nor `application`; name the "
                            "WSGI callable as "),
            std::string::npos)
      << result.err;

  result = run_process({REQTRACE_BINARY, "run", "--wsgi", app.string() + ":web"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("nameless_shop.py: has no `web`; expected the WSGI callable's name"),
            std::string::npos)
      << result.err;

  const auto importer =
      write_temp_file("bad-app", "imports_missing.py", "from flask import Flask, Blueprintz\n");
  result = run_process({REQTRACE_BINARY, "run", "--wsgi", importer.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("imports_missing.py:1: importing it raised ImportError: cannot import "
                            "name 'Blueprintz' from 'flask'"),
            std::string::npos)
      << result.err;
}

}  // namespace
