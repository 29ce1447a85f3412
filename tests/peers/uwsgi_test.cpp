// Real uWSGI 2.0.21 behind real nginx with Debian's uwsgi_params, and reqtrace's server behind
// the same nginx: for the same requests, what the app is given (its environ) and what comes
// back. The uWSGI app is a Python file the test writes, which answers with its environ.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support/nginx.hpp"
#include "support/peer.hpp"
#include "support/process.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUwsgi = "/usr/bin/uwsgi-core";

constexpr const char* kApp = R"(import json

def application(environ, start_response):
    seen = {k: v for k, v in environ.items() if isinstance(v, str)}
    seen["wsgi.url_scheme"] = environ["wsgi.url_scheme"]
    seen["body"] = environ["wsgi.input"].read().decode()
    data = json.dumps(seen, sort_keys=True).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(data)))])
    return [data]
)";

// The environ keys both are compared on: the CGI variables PEP 3333 names, what
// uwsgi_params adds, and the client's headers as HTTP_*.
const std::vector<std::string> kKeys = {
    "REQUEST_METHOD", "PATH_INFO",       "QUERY_STRING",    "CONTENT_TYPE",  "CONTENT_LENGTH",
    "SERVER_NAME",    "SERVER_PROTOCOL", "REMOTE_ADDR",     "REQUEST_URI",   "REQUEST_SCHEME",
    "DOCUMENT_ROOT",  "HTTP_HOST",       "HTTP_USER_AGENT", "HTTP_X_CUSTOM", "wsgi.url_scheme"};

const std::vector<std::string> kRequestsThroughNginx = {
    "GET /?x=1&y=two HTTP/1.1\r\nHost: Shop.Test:8080\r\nUser-Agent: curl/7.88.1\r\n"
    "X-Custom: one\r\nConnection: close\r\n\r\n",
    "POST /form HTTP/1.1\r\nHost: shop.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    "Content-Length: 8\r\nConnection: close\r\n\r\nname=Ada",
};

std::string body_after_head(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

TEST(RealUwsgi, TheAppIsGivenTheSameEnvironAsUnderUwsgi) {
  ASSERT_EQ(::access(kUwsgi, X_OK), 0)
      << kUwsgi << " not found: install Debian's uwsgi-core and uwsgi-plugin-python3";
  ASSERT_EQ(::access(kNginx, X_OK), 0) << kNginx << " not found: install Debian's nginx-light";
  NginxPeer nginx;  // its folder holds the app too
  std::ofstream(nginx.dir() / "app.py") << kApp;

  const int uwsgi_port = free_port();
  Background uwsgi({kUwsgi, "--plugin", "python3", "--socket",
                    "127.0.0.1:" + std::to_string(uwsgi_port), "--chdir", nginx.dir().string(),
                    "--wsgi-file", "app.py", "--master", "--processes", "2", "--need-app",
                    "--disable-logging"});
  ASSERT_TRUE(wait_until_accepting(uwsgi_port, std::chrono::seconds(20)))
      << "uWSGI never accepted connections";

  const fs::path trace_path = nginx.dir() / "trace.jsonl";
  Background serve({REQTRACE_BINARY, "serve", "flask-routing", "--port", "0", "--uwsgi-port", "0",
                    "--trace", trace_path.string()});
  static const std::regex serving(R"(and uwsgi://127\.0\.0\.1:(\d+))");
  int ours_port = 0;
  for (int i = 0; i < 20 && ours_port == 0; ++i) {
    const std::string line = serve.read_line(15000);
    if (line.empty()) break;
    std::smatch match;
    if (std::regex_search(line, match, serving)) ours_port = std::stoi(match[1]);
  }
  ASSERT_NE(ours_port, 0) << "reqtrace serve did not say where it speaks uwsgi";

  ASSERT_TRUE(nginx.start(
      filled(R"(  server {
    listen 127.0.0.1:@PORT@;
    server_name localhost;
    root /usr/share/nginx/html;
    location / { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:@UWSGI@; }
  }
  server {
    listen 127.0.0.1:@PORT2@;
    server_name localhost;
    root /usr/share/nginx/html;
    location / { include /etc/nginx/uwsgi_params; uwsgi_pass 127.0.0.1:@OURS@; }
  }
)",
             {{"@UWSGI@", std::to_string(uwsgi_port)}, {"@OURS@", std::to_string(ours_port)}})))
      << nginx.logs();

  std::vector<nlohmann::json> under_uwsgi;
  for (const auto& request : kRequestsThroughNginx) {
    RawClient client(nginx.port());
    client.send(request);
    const std::string response = client.read_until_close(10000);
    EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
    under_uwsgi.push_back(nlohmann::json::parse(body_after_head(response), nullptr, false));
  }
  for (const auto& request : kRequestsThroughNginx) {
    RawClient client(nginx.port2());
    client.send(request);
    const std::string response = client.read_until_close(10000);
    EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  }
  EXPECT_EQ(nginx.stop(), 0);
  EXPECT_EQ(serve.stop(SIGTERM), 0);
  uwsgi.stop(SIGINT);

  // What our server gave the app, from its environ_built events, in request order.
  std::vector<nlohmann::json> under_ours;
  std::ifstream in(trace_path);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    const auto event = nlohmann::json::parse(line);
    if (event["actor"] == "server" && event["phase"] == "environ_built")
      under_ours.push_back(event["data"]["environ"]);
  }
  ASSERT_EQ(under_uwsgi.size(), kRequestsThroughNginx.size());
  ASSERT_EQ(under_ours.size(), kRequestsThroughNginx.size());
  for (std::size_t i = 0; i < kRequestsThroughNginx.size(); ++i) {
    SCOPED_TRACE(kRequestsThroughNginx[i]);
    ASSERT_TRUE(under_uwsgi[i].is_object());
    // uWSGI leaves SCRIPT_NAME out when nginx sends none; ours sets it empty, which PEP 3333
    // allows ("may be an empty string").
    EXPECT_FALSE(under_uwsgi[i].contains("SCRIPT_NAME"));
    EXPECT_EQ(under_ours[i].value("SCRIPT_NAME", std::string("(absent)")), "");
    for (const auto& key : kKeys) {
      const std::string real = under_uwsgi[i].value(key, std::string("(absent)"));
      const std::string mine = under_ours[i].value(key, std::string("(absent)"));
      EXPECT_EQ(mine, real) << key;
    }
  }
  EXPECT_EQ(under_uwsgi[0]["HTTP_HOST"], "shop.test");  // uwsgi_params: HTTP_HOST $host
  EXPECT_EQ(under_uwsgi[1]["body"], "name=Ada");
}

}  // namespace
}  // namespace reqtrace::testing
