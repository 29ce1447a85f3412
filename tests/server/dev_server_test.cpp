// Werkzeug's development servers with real sockets (dev: BaseWSGIServer, dev-threaded:
// ThreadedWSGIServer): what goes over the wire, and what the trace says happened.
#include "sim/server/dev_server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "sim/server/threaded_wsgi_server.hpp"
#include "support/raw_client.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;

// The smallest WSGI app: says hello, or echoes what it read from wsgi.input, with its length as
// Flask's Response gives it; /stream yields pieces with no length.
class EchoApp : public wsgi::Application {
 public:
  std::unique_ptr<wsgi::ResponseIterable> operator()(wsgi::Environ& environ,
                                                     wsgi::StartResponse& start_response) override {
    {
      const std::lock_guard<std::mutex> lock(mutex);  // dev-threaded calls it from many threads
      last_environ = environ.vars;
      last_flags = {environ.multithread, environ.multiprocess, environ.run_once};
    }
    std::string body = environ.input.read();
    if (body.empty()) body = "hello";
    if (environ.get_or("PATH_INFO", "") == "/stream") {
      start_response("200 OK", {{"Content-Type", "text/plain"}});
      return std::make_unique<wsgi::ChunkList>(std::vector<std::string>{"one ", "", "two"});
    }
    if (environ.get_or("PATH_INFO", "") == "/slow")
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (environ.get_or("PATH_INFO", "") == "/hop") {
      start_response("200 OK", {{"Connection", "keep-alive"}});
      return std::make_unique<wsgi::ChunkList>(std::vector<std::string>{"x"});
    }
    start_response("200 OK", {{"Content-Type", "text/plain"},
                              {"Content-Length", std::to_string(body.size())}});
    return std::make_unique<wsgi::ChunkList>(std::vector<std::string>{body});
  }
  std::map<std::string, std::string> last_environ;
  std::tuple<bool, bool, bool> last_flags;
  std::mutex mutex;
};

class DevServerTest : public ::testing::Test {
 protected:
  // dev by default; `threaded`: dev-threaded, with the wire configs.cpp gives it.
  void start(ServerConfig config = {}, bool threaded = false) {
    recorder.add_sink([this](const std::vector<trace::Event>& batch) {
      events.insert(events.end(), batch.begin(), batch.end());
    });
    const trace::Emitter voice(&recorder, trace::Actor::Server, "server");
    if (threaded) {
      config.wire.version = WirePolicy::Version::Http11;
      config.wire.chunked = WirePolicy::Chunked::ServerHttp11;
      server = std::make_unique<ThreadedWsgiServer>(config, app, voice);
    } else {
      server = std::make_unique<DevServer>(config, app, voice);
    }
    std::string error;
    ASSERT_TRUE(server->listen(error)) << error;
    serving = std::thread([this] { server->serve_forever(); });
  }
  void TearDown() override {
    if (server) server->stop();
    if (serving.joinable()) serving.join();
  }
  std::vector<trace::Event> events_of(Phase phase) {
    recorder.flush();
    std::vector<trace::Event> out;
    for (const auto& event : events)
      if (event.phase == phase) out.push_back(event);
    return out;
  }
  int port() const { return server->address().port; }

  std::vector<trace::Event> events;  // before the recorder: its last flush lands here
  trace::Recorder recorder;
  EchoApp app;
  std::unique_ptr<WsgiServer> server;
  std::thread serving;
};

TEST_F(DevServerTest, AnswersAGetAndClosesLikeWerkzeug) {
  start();
  testing::RawClient client(port());
  ASSERT_TRUE(client.connected());
  client.send("GET /hello?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
  const std::string response = client.read_until_close();
  // BaseWSGIServer's handler keeps http.server's protocol_version, HTTP/1.0, whatever the
  // request's; Server and Date come first (send_response), Connection: close last (run_wsgi).
  EXPECT_EQ(response.rfind("HTTP/1.0 200 OK\r\nServer: ", 0), 0u) << response;
  EXPECT_TRUE(client.closed());
  EXPECT_NE(response.find("Content-Type: text/plain\r\n"), std::string::npos);
  EXPECT_NE(response.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_NE(response.find("Content-Length: 5\r\nConnection: close\r\n\r\n"), std::string::npos);
  EXPECT_NE(response.find("\r\nDate: "), std::string::npos);
  EXPECT_EQ(response.substr(response.size() - 9), "\r\n\r\nhello");
  EXPECT_EQ(app.last_environ["PATH_INFO"], "/hello");
  EXPECT_EQ(app.last_environ["QUERY_STRING"], "x=1");
  EXPECT_EQ(app.last_flags, std::make_tuple(false, false, false));
}

TEST_F(DevServerTest, EmitsEachStageInOrderWithItsVariables) {
  start();
  testing::RawClient client(port());
  client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  client.read_until_close();
  server->stop();
  serving.join();
  recorder.flush();
  std::vector<Phase> phases;
  for (const auto& event : events)
    if (event.level <= trace::kServerInternals) phases.push_back(event.phase);
  const std::vector<Phase> expected = {
      Phase::Listening,       Phase::Accept,       Phase::RequestLine, Phase::Headers,
      Phase::RequestReceived, Phase::EnvironBuilt, Phase::CallingApp,  Phase::StartResponse,
      Phase::ResponseReady,   Phase::Sending,      Phase::Sent,        Phase::Idle};
  EXPECT_EQ(phases, expected);
  auto ready = events_of(Phase::ResponseReady);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].msg, "App returns 'hello'");
  EXPECT_EQ(ready[0].var("server.state"), "Waiting to send response");
  EXPECT_EQ(ready[0].req, 1);
  auto sent = events_of(Phase::Sent);
  EXPECT_EQ(sent[0].var("response.sent"), "Yes");
  auto raw = nlohmann::json::parse(events_of(Phase::RequestReceived)[0].data)["raw"];
  EXPECT_EQ(raw, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
}

TEST_F(DevServerTest, ReadsAChunkedBodyIntoWsgiInput) {
  start();
  testing::RawClient client(port());
  client.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n");
  const std::string response = client.read_until_close();
  EXPECT_NE(response.find("Content-Length: 9\r\n"), std::string::npos) << response;
  EXPECT_EQ(response.substr(response.size() - 9), "Wikipedia");
  EXPECT_EQ(app.last_environ["CONTENT_LENGTH"], "9");
}

TEST_F(DevServerTest, ABadRequestGetsItsStatusAnErrorEventAndTheServerGoesOn) {
  start();
  {
    testing::RawClient client(port());
    client.send(
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
    const std::string response = client.read_until_close();
    EXPECT_EQ(response.rfind("HTTP/1.0 400 ", 0), 0u) << response;
    EXPECT_NE(response.find("Connection: close"), std::string::npos);
  }
  auto errors = events_of(Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(errors[0].data)["status"], 400);
  // The next client is served as if nothing happened.
  testing::RawClient next(port());
  next.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(next.read_until_close().rfind("HTTP/1.0 200 OK", 0), 0u);
}

TEST_F(DevServerTest, AStreamWithoutLengthEndsWithTheCloseNeverChunked) {
  start();
  testing::RawClient client(port());
  client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string response = client.read_until_close();
  // run_wsgi chunks only when protocol_version is HTTP/1.1; at HTTP/1.0 the close ends the body.
  EXPECT_EQ(response.find("Transfer-Encoding"), std::string::npos) << response;
  EXPECT_EQ(response.find("Content-Length"), std::string::npos) << response;
  EXPECT_EQ(response.substr(response.size() - 11), "\r\n\r\none two") << response;
  EXPECT_TRUE(client.closed());
}

TEST_F(DevServerTest, HeadSendsNoBody) {
  start();
  testing::RawClient client(port());
  client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string response = client.read_until_close();
  EXPECT_NE(response.find("Content-Length: 5\r\n"), std::string::npos) << response;
  EXPECT_EQ(response.substr(response.size() - 4), "\r\n\r\n");
}

TEST_F(DevServerTest, AnAppThatSetsAHopByHopHeaderGets500) {
  start();
  testing::RawClient client(port());
  client.send("GET /hop HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.read_until_close().rfind("HTTP/1.0 500 ", 0), 0u);
  auto errors = events_of(Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("hop-by-hop"), std::string::npos) << errors[0].msg;
}

// Werkzeug never keeps a connection; the handler can, for gunicorn's gthread (WirePolicy).
TEST_F(DevServerTest, AKeepAliveWireServesSeveralRequestsOnOneConnection) {
  ServerConfig config;
  config.wire.version = WirePolicy::Version::Request;
  config.wire.keep_alive = true;
  start(config);
  testing::RawClient client(port());
  for (int i = 0; i < 3; ++i) {
    client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string response = client.read_response();
    EXPECT_NE(response.find("Connection: keep-alive\r\n"), std::string::npos) << response;
  }
  client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(client.read_until_close().find("Connection: close\r\n"), std::string::npos);
  auto accepted = events_of(Phase::Accept);
  EXPECT_EQ(accepted.size(), 1u);
  auto received = events_of(Phase::RequestReceived);
  ASSERT_EQ(received.size(), 4u);
  EXPECT_EQ(received[3].req, 4);
}

TEST_F(DevServerTest, ASilentClientIsCutOffAfterTheReadTimeout) {
  ServerConfig config;
  config.read_timeout_ms = 200;
  start(config);
  testing::RawClient slow(port());
  slow.send("GET / HTTP/1.1\r\nHo");
  EXPECT_EQ(slow.read_until_close(3000), "");
  auto errors = events_of(Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("sent nothing for 200 ms"), std::string::npos) << errors[0].msg;
}

TEST_F(DevServerTest, ASlowlorisClientIsCutOffAndTheNextClientWaitsForIt) {
  ServerConfig config;
  config.read_timeout_ms = 1000;
  config.header_timeout_ms = 300;
  start(config);
  testing::RawClient slow(port());
  ASSERT_TRUE(slow.send("G"));
  // The next client arrives while the one-threaded server is held by the slow one.
  std::string queued_response;
  std::thread queued([this, &queued_response] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    testing::RawClient next(port());
    next.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    queued_response = next.read_until_close();
  });
  // One byte every 50 ms: never silent for read_timeout_ms, so only the head's deadline stops it.
  for (char c : std::string("ET / HTTP/1.1\r\nHost: x\r\nX-Drip: 1234567890"))
    if (!slow.send(std::string(1, c)))
      break;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(slow.read_until_close(3000), "");
  queued.join();
  EXPECT_EQ(queued_response.rfind("HTTP/1.0 200 OK", 0), 0u) << queued_response;

  auto errors = events_of(Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("did not arrive within 300 ms"), std::string::npos) << errors[0].msg;
  // The timeline shows the queue: the second connection is accepted only after the cut.
  auto accepts = events_of(Phase::Accept);
  ASSERT_EQ(accepts.size(), 2u);
  EXPECT_GT(accepts[1].seq, errors[0].seq);
}

// Level 3 tells Werkzeug 2.2's startup where our server does each thing: run_simple, then
// prepare_socket binds and listens, then make_server wraps the socket, then serve_forever.
TEST_F(DevServerTest, StartupFollowsRunSimpleAtLevel3) {
  start();
  server->stop();
  serving.join();
  recorder.flush();
  std::vector<std::string> functions;
  for (const auto& event : events) {
    if (event.phase != Phase::Listening) continue;
    const auto data = nlohmann::json::parse(event.data);
    functions.push_back(event.level == trace::kFrameworkInternals
                            ? data.value("function", "?")
                            : "announcement: " + data.value("werkzeug", "?"));
  }
  EXPECT_EQ(functions, (std::vector<std::string>{
                           "werkzeug.serving.run_simple", "werkzeug.serving.prepare_socket",
                           "werkzeug.serving.make_server", "announcement: BaseWSGIServer",
                           "socketserver.BaseServer.serve_forever"}));
  const auto listening = events_of(Phase::Listening);
  EXPECT_NE(listening[1].msg.find("listen(128)"), std::string::npos) << listening[1].msg;
  EXPECT_EQ(nlohmann::json::parse(listening[2].data)["protocol_version"], "HTTP/1.0");
}

TEST_F(DevServerTest, ThreadedSpeaksHttp11ChunksAStreamAndStillAlwaysCloses) {
  start({}, true);
  testing::RawClient client(port());
  client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string response = client.read_until_close();
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\nServer: ", 0), 0u) << response;
  // run_wsgi: Transfer-Encoding after the app's headers, then "Always close the connection".
  EXPECT_NE(response.find("Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                          "Connection: close\r\n\r\n4\r\none \r\n3\r\ntwo\r\n0\r\n\r\n"),
            std::string::npos)
      << response;
  EXPECT_TRUE(client.closed());
  // Even an HTTP/1.0 client gets HTTP/1.1 and chunks: run_wsgi asks the handler's
  // protocol_version, not the request's.
  testing::RawClient old(port());
  old.send("GET /stream HTTP/1.0\r\n\r\n");
  const std::string answer = old.read_until_close();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK", 0), 0u) << answer;
  EXPECT_NE(answer.find("Transfer-Encoding: chunked"), std::string::npos) << answer;
  EXPECT_EQ(app.last_flags, std::make_tuple(true, false, false));
}

TEST_F(DevServerTest, ThreadedStartsANewThreadForEachConnectionOnItsOwnLane) {
  start({}, true);
  std::vector<std::string> responses(3);
  std::vector<std::thread> clients;
  clients.reserve(3);
  const auto began = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i)
    clients.emplace_back([&, i] {
      testing::RawClient client(port());
      client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
      responses[i] = client.read_until_close();
    });
  for (auto& client : clients) client.join();
  // Three 300 ms views on three threads overlap: no one waits a round.
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(850));
  for (const auto& response : responses) EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u);
  server->stop();
  serving.join();
  recorder.flush();
  std::set<std::string> started, booted, ended, served;
  for (const auto& event : events) {
    if (event.phase == Phase::Fork) started.insert(event.lane);
    if (event.phase == Phase::Boot) booted.insert(event.lane);
    if (event.phase == Phase::Exit) ended.insert(event.lane);
    if (event.phase == Phase::CallingApp) served.insert(event.lane);
  }
  const std::set<std::string> lanes = {"thread-1", "thread-2", "thread-3"};
  EXPECT_EQ(started, lanes);
  EXPECT_EQ(booted, lanes);
  EXPECT_EQ(ended, lanes);
  EXPECT_EQ(served, lanes);
  // The announcement says which Werkzeug server it is.
  for (const auto& event : events_of(Phase::Listening)) {
    if (event.level == trace::kOverview) {
      EXPECT_EQ(nlohmann::json::parse(event.data)["werkzeug"], "ThreadedWSGIServer");
    }
  }
}

}  // namespace
}  // namespace reqtrace::server
