// proxy_pass over real sockets: a dev server behind the proxy, what reaches it, what the trace
// says, and the proxy's own answers when the upstream fails (502, 504) or is slow to be read.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "proxy_fixture.hpp"
#include "support/raw_client.hpp"
#include "support/two_part_upstream.hpp"

namespace reqtrace::proxy {
namespace {

using testing::body_of;
using testing::exchange;
using testing::header_of;
using testing::status_of;
using trace::Actor;
using trace::Phase;

// Starts `stack`'s proxy in front of `upstream`, with nginx's defaults but for what `config`
// sets, and returns the port it listens on.
int proxy_to(testing::ProxyStack& stack, const server::Endpoint& upstream,
             ProxyConfig config = {}) {
  config.upstream = upstream;
  stack.start_proxy(config);
  return stack.port();
}

// Keeps the environ of the last request, and answers with its body, or `big` bytes for /big.
class RecordingApp : public wsgi::Application {
 public:
  std::unique_ptr<wsgi::ResponseIterable> operator()(wsgi::Environ& environ,
                                                     wsgi::StartResponse& start_response) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      last_environ = environ.vars;
    }
    if (environ.get_or("PATH_INFO", "") == "/big") {
      start_response("200 OK", {{"Content-Type", "application/octet-stream"}});
      return std::make_unique<wsgi::ChunkList>(std::vector<std::string>{std::string(big, 'x')});
    }
    std::string body = environ.input.read();
    if (body.empty()) body = "hello from the app";
    start_response("201 Created",
                   {{"Content-Type", "text/plain"}, {"X-App", "yes"}, {"Server", "the app's own"}});
    return std::make_unique<wsgi::ChunkList>(std::vector<std::string>{body});
  }
  std::map<std::string, std::string> environ() {
    std::lock_guard<std::mutex> lock(mutex);
    return last_environ;
  }
  std::size_t big = 0;

 private:
  std::mutex mutex;
  std::map<std::string, std::string> last_environ;
};

// The seq of the first event of this actor and phase for `req`; -1 when there is none.
long long seq_of(const std::vector<trace::Event>& events, Actor actor, Phase phase, int req) {
  for (const auto& event : events)
    if (event.actor == actor && event.phase == phase && event.req == req)
      return static_cast<long long>(event.seq);
  return -1;
}

TEST(ProxyPass, ForwardsAndTheTraceTiesTheHopsTogether) {
  testing::ProxyStack stack;
  stack.start_server({testing::route("/", "home", "Hello from Flask!")});
  stack.start_proxy({});
  const std::string response = exchange(
      stack.port(),
      "GET / HTTP/1.1\r\nHost: shop.test\r\nX-Reqtrace-Req: 7\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(body_of(response), "Hello from Flask!");
  EXPECT_EQ(header_of(response, "Server"), "nginx (reqtrace)");
  EXPECT_EQ(header_of(response, "Content-Length"), "17");
  stack.stop();

  const auto events = stack.events();
  // proxy accept -> forward -> the server's request (same number) -> sent -> upstream_response ->
  // the proxy's send: one request, followed across every hop by its req.
  const std::vector<std::pair<Actor, Phase>> journey = {{Actor::Proxy, Phase::Accept},
                                                        {Actor::Proxy, Phase::Forward},
                                                        {Actor::Server, Phase::RequestReceived},
                                                        {Actor::Server, Phase::CallingApp},
                                                        {Actor::App, Phase::View},
                                                        {Actor::Server, Phase::Sent},
                                                        {Actor::Proxy, Phase::UpstreamResponse},
                                                        {Actor::Proxy, Phase::Send}};
  long long previous = -1;
  for (const auto& [actor, phase] : journey) {
    const long long seq = seq_of(events, actor, phase, 7);
    EXPECT_GT(seq, previous) << trace::name_of(actor) << " " << trace::name_of(phase);
    previous = seq;
  }
  const auto forward = stack.events_of(Actor::Proxy, Phase::Forward);
  ASSERT_EQ(forward.size(), 1u);
  EXPECT_EQ(forward[0].level, trace::kOverview);
  EXPECT_EQ(forward[0].var("proxy.state"), "Waiting for the upstream");
  const auto data = nlohmann::json::parse(forward[0].data);
  EXPECT_EQ(data["upstream"], "http://" + stack.server().address().to_string());
  EXPECT_EQ(data["directive"], "proxy_pass");
  const auto answer = stack.events_of(Actor::Proxy, Phase::UpstreamResponse);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(answer[0].data)["status"], 200);
  EXPECT_EQ(answer[0].var("proxy.state"), "Response buffered");
  const auto send = stack.events_of(Actor::Proxy, Phase::Send);
  ASSERT_EQ(send.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(send[0].data)["body_bytes"], 17);
}

TEST(ProxyPass, NumbersRequestsItselfWhenTheClientDoesNot) {
  testing::ProxyStack stack;
  stack.start_server({testing::route("/", "home", "hi")});
  stack.start_proxy({});
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(status_of(exchange(stack.port(),
                                 "GET / HTTP/1.1\r\nHost: t\r\nX-Reqtrace-Req: 0\r\n"
                                 "Connection: close\r\n\r\n")),
              200);
  std::vector<int> numbers;
  for (const auto& event : stack.events_of(Actor::Proxy, Phase::Forward))
    numbers.push_back(event.req);
  EXPECT_EQ(numbers, (std::vector<int>{1, 2}));
}

TEST(ProxyPass, SpeaksHttp10WithNginxsDefaultHeaders) {
  testing::ProxyStack stack;
  auto app = std::make_unique<RecordingApp>();
  RecordingApp* seen = app.get();
  stack.start_server(std::move(app));
  stack.start_proxy({});
  const std::string response =
      exchange(stack.port(),
               "POST /orders?x=1 HTTP/1.1\r\nHost: shop.test\r\nX-Forwarded-For: 203.0.113.9\r\n"
               "X-Real-IP: 6.6.6.6\r\nConnection: close, X-Private\r\nX-Private: kept\r\n"
               "Keep-Alive: timeout=5\r\nUpgrade: h2c\r\nTE: trailers\r\nContent-Length: 11\r\n\r\n"
               "hello world");
  EXPECT_EQ(status_of(response), 201) << response;
  EXPECT_EQ(body_of(response), "hello world");
  // The app's headers come through, except those the proxy sets itself.
  EXPECT_EQ(header_of(response, "X-App"), "yes");
  EXPECT_EQ(header_of(response, "Server"), "nginx (reqtrace)");

  auto environ = seen->environ();
  // proxy_http_version 1.0, Host $proxy_host and Connection close: nginx's defaults.
  EXPECT_EQ(environ["SERVER_PROTOCOL"], "HTTP/1.0");
  EXPECT_EQ(environ["HTTP_HOST"], stack.server().address().to_string());
  EXPECT_EQ(environ["HTTP_CONNECTION"], "close");
  EXPECT_EQ(environ["PATH_INFO"], "/orders");
  EXPECT_EQ(environ["QUERY_STRING"], "x=1");
  EXPECT_EQ(environ["CONTENT_LENGTH"], "11");
  // Nothing is added: what the client said about itself passes untouched, so an app must not
  // trust it.
  EXPECT_EQ(environ["HTTP_X_FORWARDED_FOR"], "203.0.113.9");
  EXPECT_EQ(environ["HTTP_X_REAL_IP"], "6.6.6.6");
  EXPECT_EQ(environ.count("HTTP_X_FORWARDED_PROTO"), 0u);
  // nginx drops only the fields its default lines name, not those Connection lists.
  EXPECT_EQ(environ["HTTP_X_PRIVATE"], "kept");
  EXPECT_EQ(environ.count("HTTP_KEEP_ALIVE"), 0u);
  EXPECT_EQ(environ.count("HTTP_UPGRADE"), 0u);
  EXPECT_EQ(environ.count("HTTP_TE"), 0u);
  EXPECT_EQ(environ["HTTP_X_REQTRACE_REQ"], "1");

  const auto forward = stack.events_of(Actor::Proxy, Phase::Forward);
  ASSERT_EQ(forward.size(), 1u);
  const auto data = nlohmann::json::parse(forward[0].data);
  EXPECT_EQ(data["request_line"], "POST /orders?x=1 HTTP/1.0");
  EXPECT_EQ(data["passed"][0]["name"], "Host");
  EXPECT_EQ(data["passed"][0]["why"], "proxy_set_header Host $proxy_host (nginx's default)");
  std::map<std::string, std::string> dropped;
  for (const auto& header : data["dropped"]) dropped[header["name"]] = header["why"];
  EXPECT_EQ(dropped["Keep-Alive"],
            "replaced by proxy_set_header Keep-Alive \"\" (nginx's default)");
  EXPECT_EQ(dropped.count("X-Private"), 0u);
}

TEST(ProxyPass, ProxySetHeaderLinesComeFirstWithTheirVariables) {
  testing::ProxyStack stack;
  auto app = std::make_unique<RecordingApp>();
  RecordingApp* seen = app.get();
  stack.start_server(std::move(app));
  ProxyConfig config;
  config.set_headers = {{"Host", "$host"},
                        {"X-Real-IP", "$remote_addr"},
                        {"X-Forwarded-For", "$proxy_add_x_forwarded_for"},
                        {"X-Forwarded-Proto", "$scheme"},
                        {"X-Forwarded-Host", "$http_host"},
                        {"X-Upstream", "$proxy_host via $server_name"},
                        {"Accept-Encoding", ""}};
  stack.start_proxy(config);
  const std::string response =
      exchange(stack.port(),
               "GET / HTTP/1.1\r\nHost: Shop.Test:8080\r\nX-Forwarded-For: 203.0.113.9\r\n"
               "Accept-Encoding: gzip\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(response), 201) << response;
  auto environ = seen->environ();
  EXPECT_EQ(environ["HTTP_HOST"], "shop.test");
  EXPECT_EQ(environ["HTTP_X_REAL_IP"], "127.0.0.1");
  EXPECT_EQ(environ["HTTP_X_FORWARDED_FOR"], "203.0.113.9, 127.0.0.1");
  EXPECT_EQ(environ["HTTP_X_FORWARDED_PROTO"], "http");
  EXPECT_EQ(environ["HTTP_X_FORWARDED_HOST"], "Shop.Test:8080");
  EXPECT_EQ(environ["HTTP_X_UPSTREAM"], stack.server().address().to_string() + " via localhost");
  EXPECT_EQ(environ.count("HTTP_ACCEPT_ENCODING"), 0u);  // an empty value is not sent
  EXPECT_EQ(environ["HTTP_CONNECTION"], "close");        // the default line still applies

  const auto data = nlohmann::json::parse(stack.events_of(Actor::Proxy, Phase::Forward)[0].data);
  std::vector<std::string> order;
  for (const auto& header : data["passed"]) order.push_back(header["name"]);
  const std::vector<std::string> expected = {
      "Host",       "X-Real-IP",  "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
      "X-Upstream", "Connection", "X-Reqtrace-Req"};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(data["passed"][1]["why"], "proxy_set_header X-Real-IP $remote_addr");
  EXPECT_EQ(data["proxy_set_header"][0], "proxy_set_header Host $host");
}

TEST(ProxyPass, AnswersExpectContinueItselfThenForwardsTheWholeBody) {
  testing::ProxyStack stack;
  auto app = std::make_unique<RecordingApp>();
  RecordingApp* seen = app.get();
  stack.start_server(std::move(app));
  stack.start_proxy({});
  testing::RawClient client(stack.port());
  client.send(
      "POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n"
      "Connection: close\r\n\r\n");
  std::string interim;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (interim.find("\r\n\r\n") == std::string::npos) {
    const std::string more = client.read_until_close(200);
    if (more.empty() && std::chrono::steady_clock::now() > give_up) break;  // a safety net only
    interim += more;
  }
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  client.send("hello");
  const std::string response = client.read_until_close(30000);
  EXPECT_EQ(status_of(response), 201) << response;
  EXPECT_EQ(body_of(response), "hello");
  EXPECT_EQ(seen->environ().count("HTTP_EXPECT"), 0u);
}

TEST(ProxyPass, KeepsTheClientConnectionAliveAcrossRequests) {
  testing::ProxyStack stack;
  stack.start_server({testing::route("/a", "a", "first"), testing::route("/b", "b", "second")});
  stack.start_proxy({});
  testing::RawClient client(stack.port());
  client.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string first = client.read_response(30000);
  EXPECT_EQ(body_of(first), "first");
  EXPECT_EQ(header_of(first, "Connection"), "keep-alive");
  client.send("GET /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  const std::string second = client.read_until_close(30000);
  EXPECT_EQ(body_of(second), "second");
  EXPECT_EQ(stack.events_of(Actor::Proxy, Phase::Accept).size(), 3u);  // 1 connection, 2 requests
}

TEST(ProxyPass, BadGatewayWhenNothingListens) {
  // A bound socket that never listens: its port refuses connections, and nobody else can take it.
  const int bound = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(bound, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(bound, reinterpret_cast<sockaddr*>(&address), &length);

  testing::ProxyStack stack;
  ProxyConfig config;
  config.upstream = {"127.0.0.1", ntohs(address.sin_port)};
  stack.start_proxy(config);
  testing::RawClient client(stack.port());
  for (int i = 0; i < 2; ++i) {  // the proxy answers, and keeps the client's connection
    client.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
    const std::string response = client.read_response(30000);
    EXPECT_EQ(status_of(response), 502) << response;
    EXPECT_NE(body_of(response).find("<title>502 Bad Gateway</title>"), std::string::npos);
    EXPECT_NE(body_of(response).find("nginx (reqtrace)"), std::string::npos);
  }
  ::close(bound);
  const auto errors = stack.events_of(Actor::Proxy, Phase::Error);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].level, trace::kOverview);
  EXPECT_NE(errors[0].msg.find("502 Bad Gateway"), std::string::npos) << errors[0].msg;
  EXPECT_NE(errors[0].msg.find("connect()"), std::string::npos) << errors[0].msg;
  EXPECT_EQ(nlohmann::json::parse(errors[0].data)["status"], 502);
  EXPECT_EQ(stack.events_of(Actor::Proxy, Phase::Send).size(), 2u);
}

// A test-local upstream that answers every connection with the same bytes and closes.
class CannedUpstream {
 public:
  explicit CannedUpstream(std::string answer) : answer_(std::move(answer)) {
    std::string error;
    socket_ = server::ListeningSocket::listen("127.0.0.1", 0, 8, error);
    EXPECT_TRUE(socket_) << error;
    thread_ = std::thread([this] {
      while (auto connection = socket_->accept()) {
        std::string request;
        while (request.find("\r\n\r\n") == std::string::npos &&
               connection->read_some(request, 5000) == server::Connection::ReadResult::Data) {
        }
        connection->write_all(answer_, 5000);
        connection->shutdown_write();
      }
    });
  }
  ~CannedUpstream() {
    socket_->wake();
    thread_.join();
  }
  server::Endpoint address() const { return socket_->address(); }

 private:
  std::string answer_;
  std::unique_ptr<server::ListeningSocket> socket_;
  std::thread thread_;
};

TEST(ProxyPass, BadGatewayWhenTheUpstreamSpeaksNonsense) {
  CannedUpstream upstream("SSH-2.0-OpenSSH_9.6\r\n\r\n");
  testing::ProxyStack stack;
  const std::string response = exchange(proxy_to(stack, upstream.address()),
                                        "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(response), 502) << response;
  const auto errors = stack.events_of(Actor::Proxy, Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("not an HTTP response"), std::string::npos) << errors[0].msg;
}

TEST(ProxyPass, PassesEachFullBufferOnWhileTheUpstreamStillSends) {
  // Two full 4 KiB buffers and a part of a third arrive first; the rest waits for the test.
  testing::TwoPartUpstream upstream(
      "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + std::string(9000, 'a'),
      std::string(1000, 'b'));
  testing::ProxyStack stack;
  testing::RawClient client(proxy_to(stack, upstream.address()));
  client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  std::string response = testing::read_at_least(client, 8192, 10000);
  for (std::string more; !(more = client.read_some(300)).empty();) response += more;
  const auto head_end = response.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << response;
  // The head and exactly the full buffers: the first, which the upstream's 42-byte head was
  // read into (4096 - 42 of body), and one more; the part-filled third waits for more.
  EXPECT_EQ(response.size() - head_end - 4, 4096u - 42u + 4096u);
  EXPECT_EQ(header_of(response, "Content-Length"), "10000");
  const auto answer = stack.events_of(Actor::Proxy, Phase::UpstreamResponse);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(answer[0].data)["case"], "streamed");
  EXPECT_EQ(answer[0].level, trace::kOverview);
  EXPECT_TRUE(stack.events_of(Actor::Proxy, Phase::Send).size() <= 1u);
  upstream.release();
  response += client.read_until_close(10000);
  EXPECT_EQ(body_of(response), std::string(9000, 'a') + std::string(1000, 'b'));
  ASSERT_TRUE(stack.wait_for(Actor::Proxy, Phase::Send, 1));
  stack.stop();
  const auto sends = stack.events_of(Actor::Proxy, Phase::Send);
  ASSERT_FALSE(sends.empty());
  EXPECT_EQ(sends.back().level, trace::kOverview);
  EXPECT_EQ(nlohmann::json::parse(sends.back().data)["body_bytes"], 10000);
}

TEST(ProxyPass, HoldsABodyThatFillsNoBufferUntilTheUpstreamFinishes) {
  // No length: the upstream's close ends the body, and an HTTP/1.1 client gets it chunked.
  testing::TwoPartUpstream upstream(
      "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + std::string(1000, 'a'),
      std::string(1000, 'b'));
  testing::ProxyStack stack;
  testing::RawClient client(proxy_to(stack, upstream.address()));
  client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(client.read_some(500), "") << "nothing reaches the client while the body fits a buffer";
  EXPECT_TRUE(stack.events_of(Actor::Proxy, Phase::UpstreamResponse).empty());
  upstream.release();
  const std::string response = client.read_until_close(10000);
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(header_of(response, "Transfer-Encoding"), "chunked");
  // Held whole, it goes out as one chunk of 2000 (0x7d0) bytes.
  EXPECT_EQ(response.substr(response.find("\r\n\r\n") + 4),
            "7d0\r\n" + std::string(1000, 'a') + std::string(1000, 'b') + "\r\n0\r\n\r\n");
  const auto answer = stack.events_of(Actor::Proxy, Phase::UpstreamResponse);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(answer[0].data)["case"], "held whole");
  EXPECT_NE(answer[0].msg.find("never filled a 4 KiB proxy buffer"), std::string::npos)
      << answer[0].msg;
}

TEST(ProxyPass, WithBufferingOffEachPieceGoesOnAsItArrives) {
  testing::TwoPartUpstream upstream(
      "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n" + std::string(10, 'a'), std::string(10, 'b'));
  testing::ProxyStack stack;
  ProxyConfig config;
  config.buffering = false;
  testing::RawClient client(proxy_to(stack, upstream.address(), config));
  client.send("GET / HTTP/1.0\r\nHost: t\r\n\r\n");
  std::string response = testing::read_at_least(client, 1, 10000);
  while (response.find("aaaaaaaaaa") == std::string::npos) {
    const std::string more = client.read_some(10000);
    if (more.empty()) break;
    response += more;
  }
  EXPECT_NE(response.find("\r\n\r\naaaaaaaaaa"), std::string::npos) << response;
  upstream.release();
  response += client.read_until_close(10000);
  EXPECT_EQ(body_of(response), std::string(10, 'a') + std::string(10, 'b'));
}

TEST(ProxyPass, AnUpstreamThatClosesEarlyCutsTheResponseShort) {
  CannedUpstream upstream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
  testing::ProxyStack stack;
  const std::string response = exchange(proxy_to(stack, upstream.address()),
                                        "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  // As nginx: the head and what was read, then the close ("upstream prematurely closed").
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(header_of(response, "Content-Length"), "10");
  EXPECT_EQ(body_of(response), "short");
  const auto errors = stack.events_of(Actor::Proxy, Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("closed after 5 of 10 body bytes"), std::string::npos)
      << errors[0].msg;
}

TEST(ProxyPass, GatewayTimeoutWhenTheViewIsSlowerThanUpstreamTimeout) {
  testing::ProxyStack stack;
  auto slow = testing::route("/slow", "slow", "finally");
  slow.returns.delay_ms = 1500;
  stack.start_server({slow});
  ProxyConfig config;
  config.upstream_timeout_ms = 200;
  stack.start_proxy(config);
  const std::string response =
      exchange(stack.port(), "GET /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(response), 504) << response;
  EXPECT_NE(body_of(response).find("<title>504 Gateway Timeout</title>"), std::string::npos);
  const auto errors = stack.events_of(Actor::Proxy, Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("504 Gateway Timeout"), std::string::npos) << errors[0].msg;
  EXPECT_NE(errors[0].msg.find("200 ms"), std::string::npos) << errors[0].msg;
  EXPECT_TRUE(stack.events_of(Actor::Proxy, Phase::UpstreamResponse).empty());
}

TEST(ProxyPass, KeepsReadingALargeResponseSoTheServerIsDoneBeforeTheClientReads) {
  testing::ProxyStack stack;
  auto app = std::make_unique<RecordingApp>();
  // More than loopback's socket buffers hold between the proxy and the client, so without
  // buffering the server could not finish before the client reads.
  app->big = std::size_t{12} << 20;
  stack.start_server(std::move(app));
  stack.start_proxy({});
  testing::RawClient client(stack.port());
  client.send("GET /big HTTP/1.1\r\nHost: t\r\nX-Reqtrace-Req: 3\r\nConnection: close\r\n\r\n");
  // The client reads nothing until the server says it has sent everything: what the client
  // has not taken waits in the proxy (nginx's temp file), not in the server.
  ASSERT_TRUE(stack.wait_for(Actor::Server, Phase::Sent, 3));
  ASSERT_TRUE(stack.wait_for(Actor::Proxy, Phase::UpstreamResponse, 3));
  const std::string response = client.read_until_close(30000);
  EXPECT_EQ(status_of(response), 200);
  EXPECT_EQ(body_of(response).size(), std::size_t{12} << 20);
  ASSERT_TRUE(stack.wait_for(Actor::Proxy, Phase::Send, 3));
  stack.stop();
  const auto events = stack.events();
  const long long sent = seq_of(events, Actor::Server, Phase::Sent, 3);
  const long long streaming = seq_of(events, Actor::Proxy, Phase::UpstreamResponse, 3);
  long long delivered = -1;  // the last send: the whole body written
  for (const auto& event : events)
    if (event.actor == Actor::Proxy && event.phase == Phase::Send && event.req == 3)
      delivered = static_cast<long long>(event.seq);
  EXPECT_LT(streaming, delivered);
  EXPECT_LT(sent, delivered);
  bool spooled = false;
  for (const auto& event : stack.events_of(Actor::Proxy, Phase::UpstreamResponse))
    spooled = spooled || event.msg.find("temp file") != std::string::npos;
  EXPECT_TRUE(spooled) << "the trace says where the rest waited";
  // The server closed its side of the request long before the proxy finished with the client.
  EXPECT_LT(seq_of(events, Actor::Server, Phase::Idle, 3), delivered);
}

TEST(ProxyPass, RefusesABadRequestAndKeepsServing) {
  testing::ProxyStack stack;
  stack.start_server({testing::route("/", "home", "ok")});
  stack.start_proxy({});
  const std::string refused = exchange(
      stack.port(),
      "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(status_of(refused), 400) << refused;
  EXPECT_EQ(header_of(refused, "Connection"), "close");
  const auto errors = stack.events_of(Actor::Proxy, Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("Proxy refuses a bad request: 400"), std::string::npos);
  // Nothing of it went upstream, and the next client is served.
  EXPECT_TRUE(stack.events_of(Actor::Server, Phase::RequestReceived).empty());
  EXPECT_EQ(
      body_of(exchange(stack.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")),
      "ok");
}

}  // namespace
}  // namespace reqtrace::proxy
