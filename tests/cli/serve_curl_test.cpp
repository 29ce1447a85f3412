// `reqtrace serve` answering real curl exactly as Flask 2.2 under gunicorn would.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

#include "support/process.hpp"

namespace {

using reqtrace::testing::Background;
using reqtrace::testing::run_process;

struct CurlResponse {
  std::string status_line;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

CurlResponse parse(const std::string& raw) {
  CurlResponse response;
  auto head_end = raw.find("\r\n\r\n");
  std::istringstream head(raw.substr(0, head_end));
  std::getline(head, response.status_line);
  if (!response.status_line.empty() && response.status_line.back() == '\r')
    response.status_line.pop_back();
  std::string line;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    response.headers[name] = line.substr(colon + 2);
  }
  if (head_end != std::string::npos) response.body = raw.substr(head_end + 4);
  return response;
}

std::string werkzeug_error(int code, const std::string& name, const std::string& description) {
  return "<!doctype html>\n<html lang=en>\n<title>" + std::to_string(code) + " " + name +
         "</title>\n<h1>" + name + "</h1>\n<p>" + description + "</p>\n";
}

const std::string kNotFound = werkzeug_error(
    404, "Not Found",
    "The requested URL was not found on the server. If you entered the URL manually please check "
    "your spelling and try again.");

class ServeFlaskRouting : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = new Background({REQTRACE_BINARY, "serve", "flask-routing", "--port", "0"});
    for (int i = 0; i < 50 && base.empty(); ++i) {
      std::smatch match;
      const std::string line = server->read_line();
      if (line.empty()) break;
      static const std::regex serving(R"(Serving flask-routing on (http://127\.0\.0\.1:\d+)/)");
      if (std::regex_search(line, match, serving)) base = match[1];
    }
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server->stop(SIGTERM), 0);
    delete server;
  }
  void SetUp() override {
    ASSERT_FALSE(base.empty()) << "reqtrace serve did not say where it listens";
  }

  CurlResponse curl(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"curl", "-sS", "-i", "--max-time", "10"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = run_process(argv);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return parse(result.out);
  }
  CurlResponse get(const std::string& path) { return curl({base + path}); }

  void expect_html(const CurlResponse& response, const std::string& status,
                   const std::string& body) {
    // flask-routing runs on dev: Werkzeug's BaseWSGIServer answers HTTP/1.0.
    EXPECT_EQ(response.status_line, "HTTP/1.0 " + status);
    EXPECT_EQ(response.headers.at("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(response.headers.at("content-length"), std::to_string(body.size()));
    EXPECT_EQ(response.body, body);
  }

  static Background* server;
  static std::string base;
};

Background* ServeFlaskRouting::server = nullptr;
std::string ServeFlaskRouting::base;

TEST_F(ServeFlaskRouting, StaticRules) {
  expect_html(get("/"), "200 OK", "Hello from Flask!");
  expect_html(get("/secret"), "200 OK", "You found me!");
  expect_html(get("/docs/"), "200 OK", "Docs index");
}

TEST_F(ServeFlaskRouting, ConvertersFillTheView) {
  expect_html(get("/user/ada"), "200 OK", "Hello, ada!");
  expect_html(get("/post/7"), "200 OK", "Post 7");
  expect_html(get("/post/abc"), "404 NOT FOUND", kNotFound);
}

TEST_F(ServeFlaskRouting, MissingPagesAndSlashes) {
  expect_html(get("/missing"), "404 NOT FOUND", kNotFound);
  expect_html(get("/secret/"), "404 NOT FOUND", kNotFound);
  auto redirect = get("/docs");
  const std::string target = base + "/docs/";
  expect_html(redirect, "308 PERMANENT REDIRECT",
              "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
              "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target "
              "URL: <a href=\"" +
                  target + "\">" + target + "</a>. If not, click the link.\n");
  EXPECT_EQ(redirect.headers.at("location"), target);
}

TEST_F(ServeFlaskRouting, MethodsHeadAndOptions) {
  auto wrong = get("/form");
  expect_html(wrong, "405 METHOD NOT ALLOWED",
              werkzeug_error(405, "Method Not Allowed",
                             "The method is not allowed for the requested URL."));
  EXPECT_EQ(wrong.headers.at("allow"), "OPTIONS, POST");

  expect_html(curl({"-X", "POST", "--data", "name=Ada", base + "/form"}), "200 OK", "Got Ada");

  auto head = curl({"-I", base + "/"});
  EXPECT_EQ(head.status_line, "HTTP/1.0 200 OK");
  EXPECT_EQ(head.headers.at("content-length"), "17");
  EXPECT_EQ(head.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(head.body, "");

  auto options = curl({"-X", "OPTIONS", base + "/"});
  expect_html(options, "200 OK", "");
  EXPECT_EQ(options.headers.at("allow"), "GET, HEAD, OPTIONS");
}

TEST_F(ServeFlaskRouting, AViewThatRaisesGives500) {
  expect_html(get("/boom"), "500 INTERNAL SERVER ERROR",
              werkzeug_error(500, "Internal Server Error",
                             "The server encountered an internal error and was unable to complete "
                             "your request. Either the server is overloaded or there is an error "
                             "in the application."));
}

}  // namespace
