// What an upstream receives from real nginx 1.22 and from our proxy, for the same client
// requests: a recording upstream captures the bytes of proxy_pass (request line, headers, body
// framing) and the uwsgi packet of uwsgi_pass with Debian's uwsgi_params (modifiers, vars in
// order), and the two are compared. Then how each passes a response on while the upstream is
// still sending (proxy_buffering on).
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "proxy/proxy_fixture.hpp"
#include "sim/server/socket.hpp"
#include "sim/uwsgi/packet.hpp"
#include "support/nginx.hpp"
#include "support/raw_client.hpp"
#include "support/two_part_upstream.hpp"

namespace reqtrace::testing {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Records what each connection brings, whole (the head or packet and the body after it), and
// answers a fixed 200.
class RecordingUpstream {
 public:
  explicit RecordingUpstream(bool uwsgi) : uwsgi_(uwsgi) {
    std::string error;
    socket_ = server::ListeningSocket::listen("127.0.0.1", 0, 16, error);
    if (!socket_) return;
    thread_ = std::thread([this] {
      while (auto connection = socket_->accept()) record(*connection);
    });
  }
  ~RecordingUpstream() {
    if (!socket_) return;
    socket_->wake();
    thread_.join();
  }
  server::Endpoint address() const { return socket_->address(); }

  // The request recorded `index`th, waiting for it to arrive.
  std::string request(std::size_t index) {
    for (int i = 0; i < 1000; ++i) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (recorded_.size() > index) return recorded_[index];
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  }

 private:
  void record(server::Connection& connection) {
    std::string received;
    std::size_t body_at = std::string::npos, body_length = 0;
    while (connection.read_some(received, 5000) == server::Connection::ReadResult::Data) {
      if (body_at == std::string::npos) {
        if (uwsgi_) {
          uwsgi::PacketDecoder decoder;
          const std::size_t taken = decoder.feed(received);
          if (!decoder.complete()) continue;
          body_at = taken;
          const std::string* length = uwsgi::find_var(decoder.packet().vars, "CONTENT_LENGTH");
          body_length = length && !length->empty() ? std::stoul(*length) : 0;
        } else {
          const auto end = received.find("\r\n\r\n");
          if (end == std::string::npos) continue;
          body_at = end + 4;
          const auto at = received.find("\r\nContent-Length: ");
          body_length =
              at != std::string::npos && at < end ? std::stoul(received.substr(at + 18)) : 0;
        }
      }
      if (received.size() >= body_at + body_length) break;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      recorded_.push_back(received);
    }
    connection.write_all(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok", 5000);
    connection.shutdown_write();
  }

  bool uwsgi_;
  std::unique_ptr<server::ListeningSocket> socket_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> recorded_;
};

// A request as it reached the upstream over HTTP.
struct HttpSeen {
  std::string request_line;
  Fields headers;  // in order, without reqtrace's own X-Reqtrace-Req
  std::string body;
};

HttpSeen parse_http(const std::string& raw) {
  HttpSeen seen;
  const auto end = raw.find("\r\n\r\n");
  std::size_t at = raw.find("\r\n");
  seen.request_line = raw.substr(0, at);
  while (at < end) {
    const auto next = raw.find("\r\n", at + 2);
    const std::string line = raw.substr(at + 2, next - at - 2);
    const auto colon = line.find(": ");
    if (line.substr(0, colon) != "X-Reqtrace-Req")
      seen.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    at = next;
  }
  seen.body = end == std::string::npos ? "" : raw.substr(end + 4);
  return seen;
}

// A uwsgi packet as it reached the upstream; the ports that differ between the two proxies
// (the client's, and the one each proxy listens on) are checked, then left out.
struct UwsgiSeen {
  int modifier1 = -1, modifier2 = -1;
  Fields vars;
  std::string body;
};

UwsgiSeen parse_uwsgi(const std::string& raw, int listening_port) {
  UwsgiSeen seen;
  uwsgi::PacketDecoder decoder;
  const std::size_t taken = decoder.feed(raw);
  EXPECT_TRUE(decoder.complete()) << decoder.error();
  if (!decoder.complete()) return seen;
  seen.modifier1 = decoder.packet().modifier1;
  seen.modifier2 = decoder.packet().modifier2;
  for (const auto& [name, value] : decoder.packet().vars) {
    if (name == "HTTP_X_REQTRACE_REQ") continue;
    if (name == "SERVER_PORT") {
      EXPECT_EQ(value, std::to_string(listening_port));
    }
    if (name == "REMOTE_PORT") {
      EXPECT_NE(value, "");
    }
    seen.vars.emplace_back(name, name == "SERVER_PORT" || name == "REMOTE_PORT" ? "…" : value);
  }
  seen.body = raw.substr(taken);
  return seen;
}

// What a test sends: raw bytes, so each proxy gets exactly the same request.
const std::vector<std::string> kRawRequests = {
    ("GET /a/b%20c?x=1 HTTP/1.1\r\nHost: Shop.Test:8080\r\nUser-Agent: curl/7.88.1\r\n"
     "Accept: */*\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-Custom: one\r\n\r\n"),
    ("POST /form HTTP/1.1\r\nHost: shop.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
     "Content-Length: 8\r\nConnection: close\r\n\r\nname=Ada"),
    ("GET / HTTP/1.1\r\nHost: shop.test\r\nX-Forwarded-For: 203.0.113.9\r\nX-Real-IP: 6.6.6.6\r\n"
     "Connection: close\r\n\r\n"),
    ("POST /upload HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: chunked\r\n"
     "Connection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
    ("GET /ws HTTP/1.1\r\nHost: shop.test\r\nUpgrade: h2c\r\nTE: trailers\r\nConnection: Upgrade, "
     "X-Hop\r\nX-Hop: yes\r\nExpect: 100-continue\r\n\r\n"),
    "GET /old HTTP/1.0\r\nUser-Agent: old/1\r\n\r\n",
};

// Sends each request on its own connection and returns what the upstream recorded.
std::vector<std::string> forward_all(int port, RecordingUpstream& upstream) {
  std::vector<std::string> recorded;
  for (std::size_t i = 0; i < kRawRequests.size(); ++i) {
    RawClient client(port);
    client.send(kRawRequests[i]);
    recorded.push_back(upstream.request(i));
    client.read_some(5000);  // the answer, so the exchange is over before the next
  }
  return recorded;
}

// Request line, headers in order and body, request by request. Host is $proxy_host, the
// upstream's address, and each proxy has its own recorder, so its value is not compared.
void expect_same_requests(const std::vector<std::string>& from_nginx,
                          const std::vector<std::string>& from_ours) {
  for (std::size_t i = 0; i < kRawRequests.size(); ++i) {
    SCOPED_TRACE(kRawRequests[i]);
    HttpSeen real = parse_http(from_nginx[i]), mine = parse_http(from_ours[i]);
    for (auto* seen : {&real, &mine})
      for (auto& [name, value] : seen->headers)
        if (name == "Host") value = "$proxy_host";
    EXPECT_EQ(mine.request_line, real.request_line);
    EXPECT_EQ(mine.headers, real.headers);
    EXPECT_EQ(mine.body, real.body);
  }
}

class NginxWire : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(kNginx, X_OK), 0)
        << kNginx << " not found: install Debian's nginx-light package to run the peer tests";
    ASSERT_EQ(::access("/etc/nginx/uwsgi_params", R_OK), 0)
        << "/etc/nginx/uwsgi_params not found: it comes with Debian's nginx-common";
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << nginx.logs();
  }
  // What an upstream recorded of each of kRawRequests: from nginx started with `servers` (its
  // upstream at @UP@), and from our proxy started with `config`; each has its own upstream.
  struct Forwarded {
    std::vector<std::string> by_nginx, by_ours;
    int our_port = 0;
  };
  Forwarded forward_through_both(const std::string& servers, proxy::ProxyConfig config,
                                 bool uwsgi) {
    RecordingUpstream theirs(uwsgi), ours(uwsgi);
    Forwarded forwarded;
    if (!nginx.start(filled(servers, {{"@UP@", theirs.address().to_string()}}))) {
      ADD_FAILURE() << "nginx did not start";
      return forwarded;
    }
    ProxyStack stack;
    config.upstream = ours.address();
    stack.start_proxy(config);
    forwarded.our_port = stack.port();
    forwarded.by_nginx = forward_all(nginx.port(), theirs);
    forwarded.by_ours = forward_all(stack.port(), ours);
    return forwarded;
  }
  NginxPeer nginx;
};

TEST_F(NginxWire, ProxyPassSendsWhatNginxSends) {
  const Forwarded forwarded = forward_through_both(R"(  server {
    listen 127.0.0.1:@PORT@;
    server_name localhost;
    location / { proxy_pass http://@UP@; }
  }
  server { listen 127.0.0.1:@PORT2@; return 204; }
)",
                                                   {}, false);
  ASSERT_FALSE(forwarded.by_nginx.empty());
  expect_same_requests(forwarded.by_nginx, forwarded.by_ours);
  // What it all amounts to, spelled out.
  const HttpSeen first = parse_http(forwarded.by_nginx[0]);
  EXPECT_EQ(first.request_line, "GET /a/b%20c?x=1 HTTP/1.0");
  EXPECT_EQ(first.headers[0].first, "Host");
  EXPECT_EQ(first.headers[1], (std::pair<std::string, std::string>{"Connection", "close"}));
}

TEST_F(NginxWire, ProxySetHeaderLinesGoFirstAsNginxSendsThem) {
  proxy::ProxyConfig config;
  config.set_headers = {{"X-Real-IP", "$remote_addr"},
                        {"X-Forwarded-For", "$proxy_add_x_forwarded_for"},
                        {"X-Forwarded-Proto", "$scheme"},
                        {"X-Forwarded-Host", "$host"},
                        {"Accept-Encoding", ""}};
  const Forwarded forwarded = forward_through_both(R"(  server {
    listen 127.0.0.1:@PORT@;
    server_name localhost;
    location / {
      proxy_pass http://@UP@;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header Accept-Encoding "";
    }
  }
  server { listen 127.0.0.1:@PORT2@; return 204; }
)",
                                                   config, false);
  ASSERT_FALSE(forwarded.by_nginx.empty());
  expect_same_requests(forwarded.by_nginx, forwarded.by_ours);
  const HttpSeen third = parse_http(forwarded.by_nginx[2]);
  EXPECT_EQ(third.headers[1],
            (std::pair<std::string, std::string>{"X-Forwarded-For", "203.0.113.9, 127.0.0.1"}));
}

TEST_F(NginxWire, UwsgiPassSendsTheVarsNginxSends) {
  proxy::ProxyConfig config;
  config.protocol = proxy::UpstreamProtocol::Uwsgi;
  const Forwarded forwarded = forward_through_both(R"(  server {
    listen 127.0.0.1:@PORT@;
    server_name localhost;
    root /usr/share/nginx/html;
    location / { include /etc/nginx/uwsgi_params; uwsgi_pass @UP@; }
  }
  server { listen 127.0.0.1:@PORT2@; return 204; }
)",
                                                   config, true);
  ASSERT_FALSE(forwarded.by_nginx.empty());
  for (std::size_t i = 0; i < kRawRequests.size(); ++i) {
    SCOPED_TRACE(kRawRequests[i]);
    const UwsgiSeen real = parse_uwsgi(forwarded.by_nginx[i], nginx.port());
    const UwsgiSeen mine = parse_uwsgi(forwarded.by_ours[i], forwarded.our_port);
    EXPECT_EQ(mine.modifier1, real.modifier1);
    EXPECT_EQ(mine.modifier2, real.modifier2);
    EXPECT_EQ(mine.vars, real.vars);
    EXPECT_EQ(mine.body, real.body);
  }
  const UwsgiSeen first = parse_uwsgi(forwarded.by_nginx[0], nginx.port());
  EXPECT_EQ(first.modifier1, 0);
  EXPECT_EQ(first.vars.front().first, "QUERY_STRING");
}

// The body passes on in whole 4 KiB buffers while the upstream still sends (the first shared
// with the upstream's head); a body that fills no buffer waits for the upstream to finish.
// Both proxies, the same upstream behaviour.
TEST_F(NginxWire, ProxyBuffersPassOnAsTheyFill) {
  TwoPartUpstream big_theirs(
      "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + std::string(9000, 'a'),
      std::string(1000, 'b'));
  TwoPartUpstream big_ours(
      "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + std::string(9000, 'a'),
      std::string(1000, 'b'));
  TwoPartUpstream small_theirs(
      "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + std::string(1000, 'a'),
      std::string(1000, 'b'));
  TwoPartUpstream small_ours(
      "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + std::string(1000, 'a'),
      std::string(1000, 'b'));
  ASSERT_TRUE(nginx.start(filled(R"(  server {
    listen 127.0.0.1:@PORT@;
    location / { proxy_pass http://@BIG@; }
  }
  server {
    listen 127.0.0.1:@PORT2@;
    location / { proxy_pass http://@SMALL@; }
  }
)",
                                 {{"@BIG@", big_theirs.address().to_string()},
                                  {"@SMALL@", small_theirs.address().to_string()}})));
  ProxyStack big_stack, small_stack;
  proxy::ProxyConfig config;
  config.upstream = big_ours.address();
  big_stack.start_proxy(config);
  config.upstream = small_ours.address();
  small_stack.start_proxy(config);

  // Body bytes the client has before the upstream sends its second part, then in all.
  auto before_and_after = [](int port, TwoPartUpstream& upstream, std::size_t expected_early) {
    RawClient client(port);
    client.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    std::string got = expected_early > 0 ? read_at_least(client, expected_early, 10000) : "";
    // Whatever else would come early has had time to come.
    for (std::string more; !(more = client.read_some(300)).empty();) got += more;
    const auto end = got.find("\r\n\r\n");
    const std::size_t early = end == std::string::npos ? 0 : got.size() - end - 4;
    upstream.release();
    got += client.read_until_close(10000);
    const auto head_end = got.find("\r\n\r\n");
    return std::pair<std::size_t, std::size_t>{
        early, head_end == std::string::npos ? 0 : got.size() - head_end - 4};
  };
  const auto real_big = before_and_after(nginx.port(), big_theirs, 8192);
  const auto mine_big = before_and_after(big_stack.port(), big_ours, 8192);
  // The first buffer is the one the upstream's 42-byte head was read into (proxy_buffer_size).
  EXPECT_EQ(real_big, (std::pair<std::size_t, std::size_t>{4096 - 42 + 4096, 10000}));
  EXPECT_EQ(mine_big, real_big);
  const auto real_small = before_and_after(nginx.port2(), small_theirs, 0);
  const auto mine_small = before_and_after(small_stack.port(), small_ours, 0);
  EXPECT_EQ(real_small, (std::pair<std::size_t, std::size_t>{0, 2000}));
  EXPECT_EQ(mine_small, real_small);
}

}  // namespace
}  // namespace reqtrace::testing
