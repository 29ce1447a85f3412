// The CGI model with real processes: a program per request, started with the RFC 3875
// meta-variables and the body on its stdin, its stdout turned into the HTTP response.
#include "sim/cgi/cgi_server.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "scenario/load.hpp"
#include "sim/cgi/cgi_response.hpp"
#include "sim/cgi/cgi_variables.hpp"
#include "sim/topology/send_requests.hpp"
#include "sim/topology/stack.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::server {
namespace {

using nlohmann::json;
using trace::Phase;

// Collects a recorder's events; the trace in seq order on demand.
struct Collected {
  Collected() {
    recorder.add_sink([this](const std::vector<trace::Event>& batch) {
      std::lock_guard lock(mutex);
      events.insert(events.end(), batch.begin(), batch.end());
    });
  }
  std::vector<trace::Event> sorted() {
    recorder.flush();
    std::lock_guard lock(mutex);
    auto out = events;
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.seq < b.seq; });
    return out;
  }
  std::mutex mutex;
  std::vector<trace::Event> events;  // before the recorder: its last flush lands here
  trace::Recorder recorder;
};

scenario::Scenario cgi_scenario() {
  auto loaded = scenario::load_text(R"({
    "id": "cgi", "title": "A program per request",
    "topology": {"server": {"model": "cgi"}},
    "app": {"routes": [
      {"rule": "/", "endpoint": "home", "returns": {"body": "Hello from Flask!"}},
      {"rule": "/greet", "endpoint": "greet", "methods": ["POST"],
       "returns": {"body": "Hello, {name}!", "echo": "name"}},
      {"rule": "/gone", "endpoint": "gone", "returns": {"body": "no such thing", "status": 404}}]},
    "requests": [{"path": "/"}, {"method": "POST", "path": "/greet", "form": {"name": "Ada"}}],
    "track": [{"var": "server.state", "label": "WSGI Server State", "start": "Idle"}]
  })",
                                    "cgi.json");
  EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
  return *loaded.scenario;
}

class CgiServerStack : public ::testing::Test {
 protected:
  void SetUp() override {
    topology::Listen listen;
    listen.cgi_program = REQTRACE_BINARY;
    std::string error;
    stack = topology::Stack::start(scenario, &collected.recorder, listen, error);
    ASSERT_TRUE(stack) << error;
  }
  std::vector<trace::Event> finish() {
    stack->stop();
    return collected.sorted();
  }
  scenario::Scenario scenario = cgi_scenario();
  Collected collected;
  std::unique_ptr<topology::Stack> stack;
};

TEST_F(CgiServerStack, GetAndPostWithAFormThroughReqtraceCgi) {
  auto exchanges = topology::send_requests(scenario, stack->front_door(), &collected.recorder);
  ASSERT_EQ(exchanges.size(), 2u);
  EXPECT_EQ(exchanges[0].response.status, 200);
  EXPECT_EQ(exchanges[0].response.body, "Hello from Flask!");
  EXPECT_EQ(exchanges[1].response.status, 200);
  EXPECT_EQ(exchanges[1].response.body, "Hello, Ada!");
  auto trace = finish();

  for (std::size_t i = 0; i < trace.size(); ++i) ASSERT_EQ(trace[i].seq, i) << "gap-free";
  const int server = ::getpid();
  std::set<int> programs;
  for (const auto& event : trace)
    if (event.phase == Phase::Fork) programs.insert(json::parse(event.data)["pid"].get<int>());
  ASSERT_EQ(programs.size(), 2u) << "a program per request";
  for (int req : {1, 2}) {
    SCOPED_TRACE("request " + std::to_string(req));
    std::vector<std::string> overview;
    int program = 0;
    for (const auto& event : trace) {
      if (event.req != req) continue;
      if (event.phase == Phase::Fork) program = json::parse(event.data)["pid"].get<int>();
      if (event.level == trace::kOverview && event.actor != trace::Actor::Client)
        overview.emplace_back(trace::name_of(event.phase));
      // What the program did, it recorded itself, on its own lane.
      if (event.phase == Phase::CallingApp || event.phase == Phase::ResponseReady ||
          event.actor == trace::Actor::App) {
        EXPECT_EQ(event.pid, program) << event.msg;
      }
      if (event.phase == Phase::CallingApp) {
        EXPECT_EQ(event.lane, "worker-" + std::to_string(program));
        const json environ = json::parse(event.data)["environ"];
        EXPECT_EQ(environ["wsgi.run_once"], "True");
        EXPECT_EQ(environ["wsgi.multiprocess"], "True");
        EXPECT_EQ(environ["wsgi.multithread"], "False");
        EXPECT_EQ(environ["GATEWAY_INTERFACE"], "CGI/1.1");
      }
      if (event.phase == Phase::Exit) {
        EXPECT_EQ(event.pid, server) << "the server saw it exit";
        EXPECT_NE(event.msg.find("exited with status 0"), std::string::npos) << event.msg;
      }
    }
    EXPECT_EQ(overview, (std::vector<std::string>{"request_received", "fork", "calling_app",
                                                  "response_ready", "exit", "sent"}));
  }
  // Every program has exited and been reaped: waitpid finds no child at all.
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(CgiServerStack, TheProgramSeesTheRfcMetaVariablesAndTheBodyOnStdin) {
  testing::RawClient client(stack->front_door().port);
  const std::string body = "name=Grace";
  client.send(
      "POST /greet?lang=en HTTP/1.1\r\nHost: example.test\r\nX-Custom: one\r\nX-Custom: two\r\n"
      "Authorization: Basic QWRhOnNlY3JldA==\r\nProxy: http://evil.test/\r\n"
      "X_Sneaky: 1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  const std::string response = client.read_until_close(15000);
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("\r\n\r\nHello, Grace!"), std::string::npos) << response;
  auto trace = finish();

  json seen;  // the environ the program built from its environment
  for (const auto& event : trace)
    if (event.phase == Phase::CallingApp) seen = json::parse(event.data)["environ"];
  ASSERT_FALSE(seen.is_null());
  EXPECT_EQ(seen["GATEWAY_INTERFACE"], "CGI/1.1");
  EXPECT_EQ(seen["REQUEST_METHOD"], "POST");
  EXPECT_EQ(seen["SCRIPT_NAME"], "");
  EXPECT_EQ(seen["PATH_INFO"], "/greet");
  EXPECT_EQ(seen["QUERY_STRING"], "lang=en");
  EXPECT_EQ(seen["CONTENT_LENGTH"], std::to_string(body.size()));
  EXPECT_EQ(seen["CONTENT_TYPE"], "application/x-www-form-urlencoded");
  EXPECT_EQ(seen["SERVER_PROTOCOL"], "HTTP/1.1");
  EXPECT_EQ(seen["SERVER_NAME"], "127.0.0.1");
  EXPECT_EQ(seen["SERVER_PORT"], std::to_string(stack->front_door().port));
  EXPECT_EQ(seen["REMOTE_ADDR"], "127.0.0.1");
  EXPECT_EQ(seen["REMOTE_HOST"], "127.0.0.1");
  EXPECT_FALSE(seen.value("SERVER_SOFTWARE", "").empty());
  EXPECT_EQ(seen["AUTH_TYPE"], "Basic");
  EXPECT_EQ(seen["HTTP_HOST"], "example.test");
  EXPECT_EQ(seen["HTTP_X_CUSTOM"], "one, two");
  for (const char* withheld : {"HTTP_AUTHORIZATION", "HTTP_CONTENT_LENGTH", "HTTP_CONTENT_TYPE",
                               "HTTP_PROXY", "HTTP_X_SNEAKY", "REQTRACE_EVENTS_FD"})
    EXPECT_FALSE(seen.contains(withheld)) << withheld;
  EXPECT_EQ(seen["wsgi.input"], "<input stream: 10 bytes>");
}

TEST_F(CgiServerStack, TheAppsStatusBecomesTheStatusLine) {
  testing::RawClient client(stack->front_door().port);
  client.send("GET /gone HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string response = client.read_until_close(15000);
  EXPECT_EQ(response.rfind("HTTP/1.1 404 NOT FOUND\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("\r\n\r\nno such thing"), std::string::npos) << response;
}

TEST_F(CgiServerStack, ABadRequestIsRefusedWithoutStartingAProgram) {
  {
    testing::RawClient client(stack->front_door().port);
    client.send("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
    EXPECT_EQ(client.read_until_close(15000).rfind("HTTP/1.1 400 ", 0), 0u);
  }
  testing::RawClient client(stack->front_door().port);
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read_until_close(15000).rfind("HTTP/1.1 200 OK", 0), 0u);
  int forks = 0;
  for (const auto& event : finish()) forks += event.phase == Phase::Fork;
  EXPECT_EQ(forks, 1);
}

// The server library with other programs than reqtrace: what it makes of their output.
class CgiServerProgram : public ::testing::Test {
 protected:
  std::string answer_from(const std::string& shell_script) {
    CgiServer server({}, 1, CgiProgram{"/bin/sh", {"-c", shell_script}, {}},
                     trace::Emitter(&collected.recorder, trace::Actor::Server, "server"));
    std::string error;
    EXPECT_TRUE(server.listen(error)) << error;
    std::thread serving([&] { server.serve_forever(); });
    testing::RawClient client(server.address().port);
    client.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string response = client.read_until_close(15000);
    server.stop();
    serving.join();
    trace = collected.sorted();
    return response;
  }
  const trace::Event* find(Phase phase) const {
    for (const auto& event : trace)
      if (event.phase == phase) return &event;
    return nullptr;
  }
  Collected collected;
  std::vector<trace::Event> trace;
};

TEST_F(CgiServerProgram, AProgramThatWritesNothingGets502AndAnErrorEvent) {
  const std::string response = answer_from("exit 3");
  EXPECT_EQ(response.rfind("HTTP/1.1 502 Bad Gateway\r\n", 0), 0u) << response;
  const auto* error = find(Phase::Error);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(error->msg.find("wrote nothing"), std::string::npos) << error->msg;
  EXPECT_NE(error->msg.find("exited with status 3"), std::string::npos) << error->msg;
  const auto* exit = find(Phase::Exit);
  ASSERT_NE(exit, nullptr);
  EXPECT_LT(exit->seq, error->seq);
}

TEST_F(CgiServerProgram, ADocumentWithoutContentTypeGets500) {
  const std::string response = answer_from(R"(printf 'Status: 200 OK\r\n\r\nbody')");
  EXPECT_EQ(response.rfind("HTTP/1.1 500 Internal Server Error\r\n", 0), 0u) << response;
  ASSERT_NE(find(Phase::Error), nullptr);
}

TEST_F(CgiServerProgram, LocationWithoutStatusIsA302AndLfLineEndsAreFine) {
  const std::string response = answer_from("printf 'Location: http://example.test/next\\n\\n'");
  EXPECT_EQ(response.rfind("HTTP/1.1 302 Found\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("\r\nLocation: http://example.test/next\r\n"), std::string::npos);
}

TEST_F(CgiServerProgram, TheProgramGetsTheBodyOnStdinAndTheVariablesInItsEnvironment) {
  const std::string response = answer_from(
      "printf 'Content-Type: text/plain\\n\\n%s %s %s' \"$GATEWAY_INTERFACE\" "
      "\"$REQUEST_METHOD\" \"$PATH_INFO\"");
  EXPECT_NE(response.find("\r\n\r\nCGI/1.1 GET /x"), std::string::npos) << response;
}

TEST(CgiResponse, StatusHeadersAndBodyAsRfc3875Says) {
  auto plain = parse_cgi_response("Content-Type: text/plain\r\n\r\nhi");
  ASSERT_TRUE(plain.ok);
  EXPECT_EQ(plain.status, "200 OK");
  EXPECT_EQ(plain.body, "hi");
  auto missing = parse_cgi_response("Status: 404 Not Found\nContent-Type: text/html\n\ngone");
  ASSERT_TRUE(missing.ok);
  EXPECT_EQ(missing.status, "404 Not Found");
  EXPECT_EQ(missing.headers.size(), 1u) << "Status is not passed on as a header";
  EXPECT_EQ(parse_cgi_response("Location: /elsewhere\r\n\r\n").status, "302 Found");
  EXPECT_EQ(parse_cgi_response("Status: 301 Moved\r\nLocation: /x\r\n\r\n").status, "301 Moved");
  EXPECT_EQ(parse_cgi_response("").error_status, 502);
  EXPECT_EQ(parse_cgi_response("Content-Type: text/plain\r\n").error_status, 502);
  EXPECT_EQ(parse_cgi_response("no colon here\r\n\r\n").error_status, 502);
  EXPECT_EQ(parse_cgi_response("Status: OK\r\nContent-Type: a/b\r\n\r\n").error_status, 502);
  EXPECT_EQ(parse_cgi_response("Status: 200 OK\r\n\r\nbody").error_status, 500);
}

TEST(CgiVariables, NamesFromTheRequestAndTheConnection) {
  http::Request request;
  request.method = "GET";
  request.path = "/a%20b";
  request.query = "q=1";
  request.headers = {{"Host", "h"}, {"Accept", "text/html"}, {"Proxy-Authorization", "x"}};
  const auto vars = cgi_variables(request, {"10.0.0.2", 5555}, {"127.0.0.1", 8000}, "reqtrace");
  EXPECT_EQ(vars.at("PATH_INFO"), "/a b");
  EXPECT_EQ(vars.at("QUERY_STRING"), "q=1");
  EXPECT_EQ(vars.at("SERVER_PORT"), "8000");
  EXPECT_EQ(vars.at("REMOTE_ADDR"), "10.0.0.2");
  EXPECT_EQ(vars.at("HTTP_ACCEPT"), "text/html");
  EXPECT_FALSE(vars.count("HTTP_PROXY_AUTHORIZATION"));
  EXPECT_FALSE(vars.count("CONTENT_LENGTH")) << "no body, no CONTENT_LENGTH";
  EXPECT_FALSE(vars.count("AUTH_TYPE"));
}

}  // namespace
}  // namespace reqtrace::server
