// What the wire peer tests share: one tiny Flask app, run by a real server, and the scenario
// that serves the same routes on `reqtrace serve`; raw requests to either, and what came back.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/peer.hpp"
#include "support/process.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::testing {

// The real side: "/" returns a string (Flask sets Content-Length), "/stream" a generator (no
// length: the server frames it).
inline constexpr const char* kFlaskApp = R"(from flask import Flask, Response

app = Flask(__name__)


@app.route("/")
def home():
    return "Hello"


@app.route("/stream")
def stream():
    def pieces():
        yield "one "
        yield "two"

    return Response(pieces())
)";

// Our side: the same routes, served by `model`.
inline std::string wire_scenario(const std::string& model, const std::string& server_extra = "") {
  return R"({"id": "wire-peer", "title": "The same routes as the real server's app",
  "topology": {"server": {"model": ")" +
         model + "\"" + server_extra + R"(}},
  "app": {"routes": [
    {"rule": "/", "endpoint": "home", "returns": {"body": "Hello"}},
    {"rule": "/stream", "endpoint": "stream", "returns": {"stream": ["one ", "two"]}}]},
  "requests": [{"path": "/"}]})";
}

// One response as the wire carried it.
struct WireResponse {
  std::string version;  // "HTTP/1.0" or "HTTP/1.1"
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // as sent: chunk sizes and all
  bool closed = false;                         // the server closed the connection after it
  int continues = 0;                           // the interim "100 Continue" responses before it
  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

inline WireResponse parse_response(std::string_view raw) {
  WireResponse response;
  // Expect: 100-continue's go-aheads (RFC 9110 section 15.2.1), each a head without a body.
  constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  while (raw.starts_with(kContinue)) {
    raw.remove_prefix(kContinue.size());
    ++response.continues;
  }
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return response;
  std::istringstream head(std::string(raw.substr(0, head_end)));
  std::string line;
  std::getline(head, line);
  response.version = line.substr(0, line.find(' '));
  if (line.size() > 12) response.status = std::atoi(line.c_str() + 9);
  reqtrace::testing::read_header_fields(head, response.headers);
  response.body = raw.substr(head_end + 4);
  return response;
}

// What the server sends until it closes the connection or, once it has begun, is quiet for 1.5 s
// (under gunicorn's gthread keepalive, 2 s, after which it closes an idle connection). The first
// byte may take seconds on a loaded machine, where a worker may still be importing the app.
inline std::string read_answer(RawClient& client) {
  std::string answer = client.read_some(20000);
  if (!answer.empty()) answer += client.read_until_close(1500);
  return answer;
}

// Sends `request` on a new connection and reads the answer (read_answer).
inline WireResponse exchange_on_wire(int port, const std::string& request) {
  RawClient client(port);
  client.send(request);
  const std::string raw = read_answer(client);
  WireResponse response = parse_response(raw);
  // An empty answer: the server closed without one (or never answered, which status 0 tells).
  response.closed = client.closed() || raw.empty();
  return response;
}

// Whether a second request on the same connection, sent once the first answer is in, is
// answered.
inline bool answers_a_second_request(int port) {
  RawClient client(port);
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  if (client.read_response(20000).find("Hello") == std::string::npos) return false;
  if (!client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")) return false;
  return read_answer(client).rfind("HTTP/1.", 0) == 0;
}

// A folder of its own for a test's files, removed with it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "reqtrace-wire-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    if (!path_.empty()) std::filesystem::remove_all(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

// `reqtrace serve` on a scenario file; the port it says it serves on, or 0.
inline int start_reqtrace_serve(const std::filesystem::path& scenario,
                                std::unique_ptr<Background>& serve, std::string& output) {
  serve = std::make_unique<Background>(
      std::vector<std::string>{REQTRACE_BINARY, "serve", scenario.string(), "--port", "0"});
  static const std::regex serving(R"(on http://127\.0\.0\.1:(\d+)/)");
  for (int i = 0; i < 20; ++i) {
    const std::string line = serve->read_line(15000);
    output += line + "\n";
    if (line.empty()) break;
    std::smatch match;
    if (std::regex_search(line, match, serving)) return std::stoi(match[1]);
  }
  return 0;
}

// Starts a real server from `argv` on `port` and waits until it accepts (Python imports take a
// while on a busy machine).
inline std::unique_ptr<Background> start_peer(const std::vector<std::string>& argv, int port) {
  auto peer = std::make_unique<Background>(argv);
  if (!wait_until_accepting(port, std::chrono::seconds(30))) return nullptr;
  return peer;
}

// The behaviour two servers must share; what legitimately differs (Date, Server) is left out.
inline void expect_same_wire(const WireResponse& ours, const WireResponse& real,
                             const std::string& what) {
  EXPECT_EQ(ours.continues, real.continues) << what << ": the 100 Continue responses before it";
  EXPECT_EQ(ours.version, real.version) << what << ": the status line's version";
  EXPECT_EQ(ours.status, real.status) << what;
  EXPECT_EQ(ours.header("connection"), real.header("connection")) << what;
  EXPECT_EQ(ours.header("transfer-encoding"), real.header("transfer-encoding")) << what;
  EXPECT_EQ(ours.header("content-length"), real.header("content-length")) << what;
  EXPECT_EQ(ours.body, real.body) << what << ": the body as framed";
  EXPECT_EQ(ours.closed, real.closed) << what << ": whether the server closed the connection";
}

// A real server and `reqtrace serve` side by side, for a parameterized test: SetUp calls start()
// with the real server's command line and the scenario's model.
template <class Param>
class WirePeer : public ::testing::TestWithParam<Param> {
 protected:
  void start(const std::vector<std::string>& real_argv, const std::string& model,
             const std::string& server_extra) {
    real = start_peer(real_argv, real_port);
    ASSERT_TRUE(real) << real_argv.front() << " never accepted on " << real_port;
    const auto scenario = dir.write("wire.json", wire_scenario(model, server_extra));
    our_port = start_reqtrace_serve(scenario, ours, our_output);
    ASSERT_NE(our_port, 0) << "reqtrace serve did not say where it listens:\n" << our_output;
  }
  void TearDown() override {
    if (real) real->stop(SIGTERM);
    if (ours) ours->stop(SIGTERM);
  }
  // The same request to both; the answers must agree on everything but Date and Server.
  void expect_same(const std::string& request) {
    const WireResponse real_answer = exchange_on_wire(real_port, request);
    const WireResponse our_answer = exchange_on_wire(our_port, request);
    ASSERT_NE(real_answer.status, 0) << "the real server did not answer " << request;
    expect_same_wire(our_answer, real_answer, this->GetParam().name + ", " + request);
  }

  // The one header that differs on purpose: each server names itself, and ours is not the real
  // one, so it does not pretend to be.
  void expect_each_names_itself(const std::string& real_name) {
    // One answer is enough: no waiting for a kept-alive connection to close.
    auto server_of = [](int port) {
      RawClient client(port);
      client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      return parse_response(client.read_response(20000)).header("server");
    };
    const std::string real_server = server_of(real_port), our_server = server_of(our_port);
    EXPECT_EQ(real_server.rfind(real_name, 0), 0u) << real_server;
    EXPECT_EQ(our_server.rfind("reqtrace/", 0), 0u) << our_server;
  }

  TempDir dir;
  std::unique_ptr<Background> real;
  std::unique_ptr<Background> ours;
  std::string our_output;
  int real_port = free_port();
  int our_port = 0;
};

}  // namespace reqtrace::testing
