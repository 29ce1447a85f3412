// uwsgi_pass: the request as a uwsgi packet, to the real server's uwsgi socket and to a test-local
// responder, and the response read back to the close.
#include "sim/proxy/upstream_uwsgi.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "proxy_fixture.hpp"
#include "sim/uwsgi/packet.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::proxy {
namespace {

using testing::body_of;
using testing::exchange;
using testing::header_of;
using testing::status_of;
using trace::Actor;
using trace::Phase;

TEST(UwsgiVars, NginxsUwsgiParamsThenTheHeaders) {
  UpstreamRequest request;
  request.method = "POST";
  request.target = "/caf%C3%A9/a%20b?x=1";
  request.path = "/caf%C3%A9/a%20b";
  request.query = "x=1";
  request.client_headers = {{"Host", "Shop.test:8080"},
                            {"Content-Type", "application/x-www-form-urlencoded"},
                            {"Content-Length", "3"},
                            {"X-Reqtrace-Req", "4"}};
  request.host = "shop.test";
  request.server_name = "localhost";
  request.document_root = "/usr/share/nginx/html";
  request.body = "a=1";
  request.body_sent = true;
  request.client = {"127.0.0.1", 40000};
  request.proxy = {"127.0.0.1", 8080};
  const uwsgi::Vars vars = uwsgi_vars(request);
  const uwsgi::Vars expected = {{"QUERY_STRING", "x=1"},
                                {"REQUEST_METHOD", "POST"},
                                {"CONTENT_TYPE", "application/x-www-form-urlencoded"},
                                {"CONTENT_LENGTH", "3"},
                                {"REQUEST_URI", "/caf%C3%A9/a%20b?x=1"},
                                {"PATH_INFO", "/café/a b"},
                                {"DOCUMENT_ROOT", "/usr/share/nginx/html"},
                                {"SERVER_PROTOCOL", "HTTP/1.1"},
                                {"REQUEST_SCHEME", "http"},
                                {"REMOTE_ADDR", "127.0.0.1"},
                                {"REMOTE_PORT", "40000"},
                                {"SERVER_PORT", "8080"},
                                {"SERVER_NAME", "localhost"},
                                // Debian's uwsgi_params: HTTP_HOST $host, so the client's Host
                                // is not passed again
                                {"HTTP_HOST", "shop.test"},
                                {"HTTP_CONTENT_TYPE", "application/x-www-form-urlencoded"},
                                {"HTTP_CONTENT_LENGTH", "3"},
                                {"HTTP_X_REQTRACE_REQ", "4"}};
  EXPECT_EQ(vars, expected);
}

class UwsgiPassTest : public ::testing::Test {
 protected:
  void start(const std::vector<scenario::Route>& routes, int upstream_timeout_ms = 60000) {
    server::ServerConfig server_config;
    server_config.uwsgi_port = 0;
    stack.start_server(routes, server_config);
    ASSERT_TRUE(stack.server().uwsgi_address());
    ProxyConfig config;
    config.upstream = *stack.server().uwsgi_address();
    config.protocol = UpstreamProtocol::Uwsgi;
    config.upstream_timeout_ms = upstream_timeout_ms;
    stack.start_proxy(config);
  }
  testing::ProxyStack stack;
};

TEST_F(UwsgiPassTest, TheRealServerAnswersOverUwsgi) {
  start({testing::route("/hello/<name>", "hello", "Hello, {name}!")});
  const std::string response = exchange(
      stack.port(),
      "GET /hello/ada?x=1 HTTP/1.1\r\nHost: t\r\nX-Reqtrace-Req: 5\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(body_of(response), "Hello, ada!");
  EXPECT_EQ(header_of(response, "Content-Length"), "11");
  EXPECT_EQ(header_of(response, "Server"), "nginx (reqtrace)");
  stack.stop();

  const auto forward = stack.events_of(Actor::Proxy, Phase::Forward);
  ASSERT_EQ(forward.size(), 1u);
  EXPECT_EQ(forward[0].req, 5);
  EXPECT_NE(forward[0].msg.find("uwsgi_pass"), std::string::npos) << forward[0].msg;
  EXPECT_EQ(nlohmann::json::parse(forward[0].data)["upstream"],
            "uwsgi://" + stack.server().uwsgi_address()->to_string());
  // The server read a uwsgi packet, and numbered the request as the proxy did.
  const auto received = stack.events_of(Actor::Server, Phase::RequestReceived);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].req, 5);
  EXPECT_EQ(nlohmann::json::parse(received[0].data)["protocol"], "uwsgi");
  const auto answered = stack.events_of(Actor::Proxy, Phase::UpstreamResponse);
  ASSERT_EQ(answered.size(), 1u);
  EXPECT_EQ(answered[0].req, 5);
  EXPECT_LT(stack.events_of(Actor::Server, Phase::Sent)[0].seq, answered[0].seq);
}

TEST_F(UwsgiPassTest, ABodyTravelsAfterThePacket) {
  auto form = testing::route("/form", "form", "Got {name}", {"POST"});
  form.returns.echo = "name";
  start({form});
  const std::string response = exchange(
      stack.port(),
      "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 8\r\nConnection: close\r\n\r\nname=Ada");
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(body_of(response), "Got Ada");
}

TEST_F(UwsgiPassTest, GatewayTimeoutWhenTheViewIsSlow) {
  auto slow = testing::route("/slow", "slow", "late");
  slow.returns.delay_ms = 1500;
  start({slow}, 200);
  const std::string response =
      exchange(stack.port(), "GET /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(response), 504) << response;
  const auto errors = stack.events_of(Actor::Proxy, Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("uwsgi_read_timeout"), std::string::npos) << errors[0].msg;
}

// A test-local uwsgi server: decodes one packet (and its body), then answers with fixed bytes.
class CannedUwsgi {
 public:
  explicit CannedUwsgi(std::string answer) : answer_(std::move(answer)) {
    std::string error;
    socket_ = server::ListeningSocket::listen("127.0.0.1", 0, 8, error);
    EXPECT_TRUE(socket_) << error;
    thread_ = std::thread([this] {
      while (auto connection = socket_->accept()) {
        uwsgi::PacketDecoder decoder;
        std::string received;
        while (!decoder.complete() && !decoder.failed() &&
               connection->read_some(received, 5000) == server::Connection::ReadResult::Data) {
          received.erase(0, decoder.feed(received));
        }
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (decoder.complete()) vars_ = decoder.packet().vars;
        }
        connection->write_all(answer_, 5000);
        connection->shutdown_write();
      }
    });
  }
  ~CannedUwsgi() {
    socket_->wake();
    thread_.join();
  }
  server::Endpoint address() const { return socket_->address(); }
  uwsgi::Vars vars() {
    std::lock_guard<std::mutex> lock(mutex_);
    return vars_;
  }

 private:
  std::string answer_;
  std::unique_ptr<server::ListeningSocket> socket_;
  std::thread thread_;
  std::mutex mutex_;
  uwsgi::Vars vars_;
};

std::string through(CannedUwsgi& upstream, testing::ProxyStack& stack, const std::string& request) {
  ProxyConfig config;
  config.upstream = upstream.address();
  config.protocol = UpstreamProtocol::Uwsgi;
  stack.start_proxy(config);
  return exchange(stack.port(), request);
}

TEST(UwsgiPass, RelaysWhatTheUpstreamSaidToTheClose) {
  CannedUwsgi upstream("HTTP/1.1 201 Created\r\nX-Made: yes\r\nConnection: close\r\n\r\nmade it");
  testing::ProxyStack stack;
  const std::string response = through(upstream, stack,
                                       "GET /make HTTP/1.1\r\nHost: t\r\nX-Reqtrace-Req: 9\r\n"
                                       "Connection: close\r\n\r\n");
  EXPECT_EQ(status_of(response), 201) << response;
  EXPECT_EQ(header_of(response, "X-Made"), "yes");
  // No length from the upstream: an HTTP/1.1 client gets the body chunked, as from nginx.
  EXPECT_EQ(header_of(response, "Transfer-Encoding"), "chunked");
  EXPECT_EQ(response.substr(response.find("\r\n\r\n") + 4), "7\r\nmade it\r\n0\r\n\r\n");
  const auto vars = upstream.vars();
  ASSERT_NE(uwsgi::find_var(vars, "HTTP_X_REQTRACE_REQ"), nullptr);
  EXPECT_EQ(*uwsgi::find_var(vars, "HTTP_X_REQTRACE_REQ"), "9");
  EXPECT_EQ(*uwsgi::find_var(vars, "REQUEST_METHOD"), "GET");
  EXPECT_EQ(*uwsgi::find_var(vars, "PATH_INFO"), "/make");
  EXPECT_EQ(uwsgi::find_var(vars, "HTTP_X_FORWARDED_FOR"), nullptr);  // uwsgi_params adds none
}

TEST(UwsgiPass, BadGatewayForAnAnswerThatIsNotHttp) {
  for (const char* answer : {"", "garbage\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Header\r\n\r\nx",
                             "HTTP/1.1 200 OK\r\n folded: no\r\n\r\n",
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                             "HTTP/1.1 200 OK\r\nX: a\x01z\r\n\r\n"}) {
    SCOPED_TRACE(answer);
    CannedUwsgi upstream(answer);
    testing::ProxyStack stack;
    const std::string response =
        through(upstream, stack, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_of(response), 502) << response;
    const auto errors = stack.events_of(Actor::Proxy, Phase::Error);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].msg.find("502 Bad Gateway"), std::string::npos) << errors[0].msg;
  }
}

}  // namespace
}  // namespace reqtrace::proxy
