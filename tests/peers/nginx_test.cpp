// The real nginx in front of `reqtrace serve`: proxy_pass over HTTP and uwsgi_pass over the
// binary uwsgi protocol, requests sent with curl, and the trace checked for both ways in.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "support/nginx.hpp"
#include "support/peer.hpp"
#include "support/process.hpp"
#include "support/raw_client.hpp"

namespace {

namespace fs = std::filesystem;
using reqtrace::testing::Background;
using reqtrace::testing::find_on_path;
using reqtrace::testing::kNginx;
using reqtrace::testing::run_process;

// /via-http/ goes through proxy_pass, whose URI part "/" replaces the matched prefix.
// /via-uwsgi/ goes through uwsgi_pass with what Debian's uwsgi_params sets, written out, and the
// app mounted under the prefix: SCRIPT_NAME is the prefix, PATH_INFO the rest, as uWSGI's mount
// points do.
constexpr const char* kServers = R"(  server {
    listen 127.0.0.1:@PORT@;
    server_name localhost;
    location /via-http/ { proxy_pass http://127.0.0.1:@HTTP_PORT@/; }
    location /via-uwsgi/ {
      rewrite ^/via-uwsgi(/.*)$ $1 break;
      uwsgi_param QUERY_STRING $query_string;
      uwsgi_param REQUEST_METHOD $request_method;
      uwsgi_param CONTENT_TYPE $content_type;
      uwsgi_param CONTENT_LENGTH $content_length;
      uwsgi_param REQUEST_URI $request_uri;
      uwsgi_param SCRIPT_NAME /via-uwsgi;
      uwsgi_param PATH_INFO $uri;
      uwsgi_param DOCUMENT_ROOT $document_root;
      uwsgi_param SERVER_PROTOCOL $server_protocol;
      uwsgi_param REQUEST_SCHEME $scheme;
      uwsgi_param HTTPS $https if_not_empty;
      uwsgi_param REMOTE_ADDR $remote_addr;
      uwsgi_param REMOTE_PORT $remote_port;
      uwsgi_param SERVER_PORT $server_port;
      uwsgi_param SERVER_NAME $server_name;
      uwsgi_pass 127.0.0.1:@UWSGI_PORT@;
    }
  }
  server { listen 127.0.0.1:@PORT2@; return 204; }
)";

struct CurlResponse {
  int exit_code = -1;
  std::string status_line;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
  std::string body;
  std::string error;
};

CurlResponse curl(const std::string& curl_path, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {curl_path, "-sS", "-i", "--max-time", "15"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = run_process(argv);
  CurlResponse response;
  response.exit_code = result.exit_code;
  response.error = result.err;
  const auto head_end = result.out.find("\r\n\r\n");
  std::istringstream head(result.out.substr(0, head_end));
  std::getline(head, response.status_line);
  if (!response.status_line.empty() && response.status_line.back() == '\r')
    response.status_line.pop_back();
  reqtrace::testing::read_header_fields(head, response.headers);
  if (head_end != std::string::npos) response.body = result.out.substr(head_end + 4);
  return response;
}

class RealNginx : public ::testing::Test {
 protected:
  void SetUp() override {
    // The peers are part of the test list (.ci/packages.sh): missing is a failure, not a skip.
    ASSERT_EQ(::access(kNginx, X_OK), 0)
        << kNginx << " not found: install Debian's nginx-light package (apt-get install "
        << "nginx-light) to run the real-nginx test";
    auto found_curl = find_on_path("curl");
    ASSERT_TRUE(found_curl) << "curl not found on PATH: install Debian's curl package "
                            << "(apt-get install curl) to run the real-nginx test";
    curl_path = *found_curl;

    std::string pattern = (fs::temp_directory_path() / "reqtrace-nginx-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir = pattern;
    trace_path = dir / "trace.jsonl";

    serve = std::make_unique<Background>(
        std::vector<std::string>{REQTRACE_BINARY, "serve", "flask-routing", "--port", "0",
                                 "--uwsgi-port", "0", "--trace", trace_path.string()});
    static const std::regex serving(
        R"(Serving flask-routing on http://127\.0\.0\.1:(\d+)/ and uwsgi://127\.0\.0\.1:(\d+))");
    for (int i = 0; i < 20 && http_port == 0; ++i) {
      const std::string line = serve->read_line(15000);
      serve_output += line + "\n";
      if (line.empty()) break;
      std::smatch match;
      if (std::regex_search(line, match, serving)) {
        http_port = std::stoi(match[1]);
        uwsgi_port = std::stoi(match[2]);
      }
    }
    ASSERT_NE(http_port, 0) << "reqtrace serve did not say where it listens:\n" << serve_output;

    nginx = std::make_unique<reqtrace::testing::NginxPeer>();
    ASSERT_TRUE(nginx->start(
        reqtrace::testing::filled(kServers, {{"@HTTP_PORT@", std::to_string(http_port)},
                                             {"@UWSGI_PORT@", std::to_string(uwsgi_port)}})))
        << "nginx never accepted connections:\n"
        << nginx->logs();
    port = nginx->port();
  }

  void TearDown() override {
    if (HasFailure() && nginx)
      std::cerr << "--- reqtrace serve output\n" << serve_output << nginx->logs();
    nginx.reset();
    if (serve) serve->stop(SIGTERM);
    if (!dir.empty()) fs::remove_all(dir);
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  CurlResponse get(const std::string& path, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = extra;
    args.push_back(url(path));
    return curl(curl_path, args);
  }

  // Stops both servers and reads the trace reqtrace wrote.
  std::vector<nlohmann::json> finish() {
    EXPECT_EQ(nginx->stop(), 0);
    EXPECT_EQ(serve->stop(SIGTERM), 0);
    for (std::string line; !(line = serve->read_line(1000)).empty();) serve_output += line + "\n";
    std::vector<nlohmann::json> events;
    std::ifstream in(trace_path);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) events.push_back(nlohmann::json::parse(line));
    return events;
  }

  std::string curl_path;
  fs::path dir;
  fs::path trace_path;
  std::unique_ptr<Background> serve;
  std::unique_ptr<reqtrace::testing::NginxPeer> nginx;
  std::string serve_output;
  int http_port = 0;
  int uwsgi_port = 0;
  int port = 0;
};

const std::string kNotFound =
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The "
    "requested URL was not found on the server. If you entered the URL manually please check "
    "your spelling and try again.</p>\n";

TEST_F(RealNginx, ServesTheAppOverHttpAndOverUwsgi) {
  struct Expected {
    std::vector<std::string> curl_args;
    std::string path;  // under the prefix
    std::string status;
    std::string body;
  };
  const std::vector<Expected> cases = {
      {{}, "/user/ada", "200 OK", "Hello, ada!"},
      {{}, "/post/7?x=1", "200 OK", "Post 7"},
      {{}, "/missing", "404 NOT FOUND", kNotFound},
      {{"-X", "POST", "--data", "name=Ada"}, "/form", "200 OK", "Got Ada"},
  };
  for (const std::string prefix : {"/via-http", "/via-uwsgi"}) {
    for (const auto& c : cases) {
      const auto response = get(prefix + c.path, c.curl_args);
      ASSERT_EQ(response.exit_code, 0) << prefix << c.path << ": " << response.error;
      EXPECT_EQ(response.status_line, "HTTP/1.1 " + c.status) << prefix << c.path;
      EXPECT_EQ(response.body, c.body) << prefix << c.path;
      EXPECT_EQ(response.header("server").rfind("nginx", 0), 0u) << "nginx answered";
      EXPECT_EQ(response.header("content-type"), "text/html; charset=utf-8");
    }
  }
  // Mounted under SCRIPT_NAME, the app redirects to a URL that goes through nginx again.
  const auto redirect = get("/via-uwsgi/docs");
  EXPECT_EQ(redirect.status_line, "HTTP/1.1 308 PERMANENT REDIRECT");
  EXPECT_EQ(redirect.header("location"), url("/via-uwsgi/docs/"));
  // The client's request number crosses nginx both ways.
  EXPECT_EQ(get("/via-http/", {"-H", "X-Reqtrace-Req: 501"}).body, "Hello from Flask!");
  EXPECT_EQ(get("/via-uwsgi/", {"-H", "X-Reqtrace-Req: 502"}).body, "Hello from Flask!");

  const auto events = finish();
  // For each request: how it came in, and what the app was asked for.
  std::map<int, std::string> protocol_of;
  std::multiset<std::string> seen;
  std::set<int> numbers;
  for (const auto& event : events) {
    if (event["actor"] != "server") continue;
    const int req = event["req"];
    const auto data = event.contains("data") ? event["data"] : nlohmann::json::object();
    // The overview's announcements; level 3 adds Werkzeug's startup steps, which name no port.
    if (event["phase"] == "listening" && event["level"] == 1) {
      EXPECT_TRUE(data["port"] == http_port || data["port"] == uwsgi_port) << event.dump();
    }
    if (event["phase"] == "request_received")
      protocol_of[req] = data.value("protocol", std::string("http"));
    if (event["phase"] == "environ_built") {
      const auto& environ = data["environ"];
      seen.insert(protocol_of[req] + " " + environ["REQUEST_METHOD"].get<std::string>() + " " +
                  environ["SCRIPT_NAME"].get<std::string>() + "|" +
                  environ["PATH_INFO"].get<std::string>());
      numbers.insert(req);
    }
  }
  const std::multiset<std::string> expected = {"http GET |/user/ada",
                                               "http GET |/post/7",
                                               "http GET |/missing",
                                               "http POST |/form",
                                               "http GET |/",
                                               "uwsgi GET /via-uwsgi|/user/ada",
                                               "uwsgi GET /via-uwsgi|/post/7",
                                               "uwsgi GET /via-uwsgi|/missing",
                                               "uwsgi POST /via-uwsgi|/form",
                                               "uwsgi GET /via-uwsgi|/docs",
                                               "uwsgi GET /via-uwsgi|/"};
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(numbers.count(501)) << "the X-Reqtrace-Req of the request through proxy_pass";
  EXPECT_TRUE(numbers.count(502)) << "the X-Reqtrace-Req of the request through uwsgi_pass";
  EXPECT_EQ(protocol_of[501], "http");
  EXPECT_EQ(protocol_of[502], "uwsgi");
}

}  // namespace
