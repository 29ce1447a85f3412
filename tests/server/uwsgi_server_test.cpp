// Serving uwsgi with real sockets: a raw uwsgi client (what nginx's uwsgi_pass writes) against
// every server model, with the HTTP port working alongside.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "served_stack.hpp"
#include "sim/uwsgi/packet.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::testing {
namespace {

using trace::Phase;

// The vars nginx's uwsgi_params sends for a request to `uri`, plus `extra`.
uwsgi::Vars nginx_vars(const std::string& method, const std::string& uri,
                       const uwsgi::Vars& extra = {}) {
  const auto question = uri.find('?');
  uwsgi::Vars vars = {
      {"QUERY_STRING", question == std::string::npos ? "" : uri.substr(question + 1)},
      {"REQUEST_METHOD", method},
      {"CONTENT_TYPE", ""},
      {"CONTENT_LENGTH", ""},
      {"REQUEST_URI", uri},
      {"PATH_INFO", uri.substr(0, question)},
      {"DOCUMENT_ROOT", "/usr/share/nginx/html"},
      {"SERVER_PROTOCOL", "HTTP/1.1"},
      {"REMOTE_ADDR", "127.0.0.1"},
      {"REMOTE_PORT", "51234"},
      {"SERVER_PORT", "8080"},
      {"SERVER_NAME", "localhost"},
      {"HTTP_HOST", "localhost:8080"},
  };
  for (const auto& [key, value] : extra) {
    bool replaced = false;
    for (auto& var : vars)
      if (var.first == key) var.second = value, replaced = true;
    if (!replaced) vars.emplace_back(key, value);
  }
  return vars;
}

class Uwsgi : public ServedStack {
 protected:
  void SetUp() override {
    topology::Listen listen;
    listen.uwsgi_port = 0;
    start(listen);
    ASSERT_TRUE(stack->uwsgi_door());
  }
  int uwsgi_port() const { return stack->uwsgi_door()->port; }
  // Writes the bytes to the uwsgi port and returns everything until the server closes.
  std::string exchange(const std::string& bytes) {
    RawClient client(uwsgi_port());
    EXPECT_TRUE(client.connected());
    client.send(bytes);
    return client.read_until_close(10000);
  }
  static nlohmann::json data_of(const trace::Event& event) {
    return nlohmann::json::parse(event.data);
  }
};

TEST_P(Uwsgi, AGetGetsTheResponseAsUwsgiWritesItThenTheClose) {
  const std::string response = exchange(uwsgi::encode(nginx_vars("GET", "/user/ada?x=1")));
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(response.substr(response.find("\r\n\r\n")), "\r\n\r\nHello, ada!");
  // The server adds nothing of its own: nginx writes the client's Date, Server and Connection.
  EXPECT_EQ(response.find("Connection:"), std::string::npos) << response;
  EXPECT_EQ(response.find("Date:"), std::string::npos) << response;

  const auto trace = finish();
  auto listening = only(trace, Phase::Listening);
  // The overview's: the startup steps Werkzeug's models tell at level 3 are not counted.
  std::erase_if(listening, [](const trace::Event& e) { return e.level != trace::kOverview; });
  ASSERT_EQ(listening.size(), 2u);
  EXPECT_EQ(data_of(listening[1])["protocol"], "uwsgi");
  EXPECT_EQ(data_of(listening[1])["port"], uwsgi_port());
  EXPECT_EQ(listening[1].level, trace::kOverview);
  EXPECT_NE(listening[1].msg.find("also speaks uwsgi on 127.0.0.1:" + std::to_string(uwsgi_port())),
            std::string::npos)
      << listening[1].msg;

  const auto accepted = only(trace, Phase::Accept);
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].level, trace::kServerInternals);
  EXPECT_EQ(data_of(accepted[0])["protocol"], "uwsgi");
  EXPECT_NE(accepted[0].msg.find("uwsgi connection"), std::string::npos);

  const auto received = only(trace, Phase::RequestReceived);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].level, trace::kOverview);
  EXPECT_EQ(received[0].msg, "uwsgi packet arrives: GET /user/ada?x=1 (13 vars)");
  const auto data = data_of(received[0]);
  EXPECT_EQ(data["vars"][4], nlohmann::json::array({"REQUEST_URI", "/user/ada?x=1"}));
  EXPECT_EQ(data["modifier1"], 0);
  // The raw packet reads as text: the binary sizes are escaped.
  const std::string raw = data["raw"];
  EXPECT_EQ(raw.rfind("\\x00", 0), 0u) << raw;
  EXPECT_NE(raw.find("\\x0E\\x00REQUEST_METHOD\\x03\\x00GET"), std::string::npos) << raw;

  const auto environ = data_of(only(trace, Phase::EnvironBuilt).at(0))["environ"];
  EXPECT_EQ(environ["PATH_INFO"], "/user/ada");
  EXPECT_EQ(environ["QUERY_STRING"], "x=1");
  EXPECT_EQ(environ["DOCUMENT_ROOT"], "/usr/share/nginx/html");  // every var is in environ
  EXPECT_EQ(environ["SERVER_PORT"], "8080");                     // nginx's, not the socket's
  EXPECT_EQ(environ["wsgi.url_scheme"], "http");
  EXPECT_EQ(environ["wsgi.multithread"], GetParam() == "threaded" ? "True" : "False");
  EXPECT_EQ(environ["wsgi.multiprocess"], GetParam() == "prefork" ? "True" : "False");

  // The usual steps follow, for the same request, and the connection closes.
  std::vector<Phase> phases;
  for (const auto& event : trace)
    if (event.actor == trace::Actor::Server && event.req == 1) phases.push_back(event.phase);
  const std::vector<Phase> expected = {
      Phase::RequestReceived, Phase::EnvironBuilt, Phase::CallingApp, Phase::StartResponse,
      Phase::ResponseReady,   Phase::Sending,      Phase::Sent,       Phase::Idle};
  EXPECT_EQ(phases, expected);
}

TEST_P(Uwsgi, APostCarriesItsFormBodyAfterThePacket) {
  RawClient client(uwsgi_port());
  ASSERT_TRUE(client.connected());
  // The packet first, the body in a second write: the server reads CONTENT_LENGTH bytes.
  client.send(uwsgi::encode(nginx_vars(
      "POST", "/form",
      {{"CONTENT_TYPE", "application/x-www-form-urlencoded"}, {"CONTENT_LENGTH", "8"}})));
  client.send("name=Ada");
  const std::string response = client.read_until_close(10000);
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  EXPECT_EQ(response.substr(response.find("\r\n\r\n")), "\r\n\r\nGot Ada");

  const auto trace = finish();
  const auto received = only(trace, Phase::RequestReceived).at(0);
  EXPECT_EQ(received.msg, "uwsgi packet arrives: POST /form (13 vars, 8-byte body)");
  EXPECT_EQ(data_of(received)["body"], "name=Ada");
}

TEST_P(Uwsgi, AMalformedPacketIsRefusedAndTheNextRequestStillWorks) {
  // datasize says 6 bytes; the key size inside says 9.
  const std::string bad = std::string("\x00\x06\x00\x00", 4) + std::string("\x09\x00", 2) + "ABCD";
  EXPECT_EQ(exchange(bad), "");  // closed without an answer, as uWSGI does: nginx says 502
  const std::string good = exchange(uwsgi::encode(nginx_vars("GET", "/")));
  EXPECT_EQ(good.substr(good.find("\r\n\r\n")), "\r\n\r\nHello from Flask!");

  const auto trace = finish();
  const auto errors = only(trace, Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].level, trace::kOverview);
  EXPECT_NE(errors[0].msg.find("malformed uwsgi packet: key size 9 at byte 0 runs past the end of "
                               "the vars block (6 bytes, 4 left)"),
            std::string::npos)
      << errors[0].msg;
  EXPECT_EQ(data_of(errors[0])["raw"], "\\x00\\x06\\x00\\x00\\x09\\x00ABCD");
  EXPECT_EQ(only(trace, Phase::Sent).size(), 1u);
}

TEST_P(Uwsgi, PacketsTheServerCannotServeAreRefusedWithTheReason) {
  struct Case {
    std::string bytes;
    std::string reason;
  };
  const Case cases[] = {
      {uwsgi::encode(nginx_vars("GET", "/"), 5), "modifier1 is 5, expected 0"},
      {uwsgi::encode({{"PATH_INFO", "/"}}), "no REQUEST_METHOD var"},
      {uwsgi::encode(nginx_vars("POST", "/form", {{"CONTENT_LENGTH", "12abc"}})),
       "CONTENT_LENGTH '12abc' is not a decimal number"},
  };
  for (const auto& c : cases) EXPECT_EQ(exchange(c.bytes), "") << c.reason;
  const auto trace = finish();
  const auto errors = only(trace, Phase::Error);
  ASSERT_EQ(errors.size(), std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i)
    EXPECT_NE(errors[i].msg.find(cases[i].reason), std::string::npos) << errors[i].msg;
}

TEST_P(Uwsgi, ABodyShorterThanContentLengthIsAnErrorAndTheServerGoesOn) {
  {
    RawClient client(uwsgi_port());
    client.send(uwsgi::encode(nginx_vars("POST", "/form", {{"CONTENT_LENGTH", "100"}})));
    client.send("name=");
    client.finish_sending();
    EXPECT_EQ(client.read_until_close(10000), "");
  }
  {
    RawClient client(uwsgi_port());
    client.send(uwsgi::encode(nginx_vars("GET", "/")).substr(0, 10));  // cut inside the packet
    client.finish_sending();
    EXPECT_EQ(client.read_until_close(10000), "");
  }
  const std::string good = exchange(uwsgi::encode(nginx_vars("GET", "/user/bob")));
  EXPECT_EQ(good.substr(good.find("\r\n\r\n")), "\r\n\r\nHello, bob!");
  const auto trace = finish();
  const auto errors = only(trace, Phase::Error);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].msg.find("the body is shorter than CONTENT_LENGTH: 5 of 100 bytes came "
                               "before the connection closed"),
            std::string::npos)
      << errors[0].msg;
  EXPECT_NE(errors[1].msg.find("closed the connection in the middle of a uwsgi packet"),
            std::string::npos)
      << errors[1].msg;
}

TEST_P(Uwsgi, HttpsVarsMakeTheSchemeHttps) {
  exchange(uwsgi::encode(nginx_vars("GET", "/", {{"HTTPS", "on"}})));
  exchange(uwsgi::encode(nginx_vars("GET", "/", {{"UWSGI_SCHEME", "https"}})));
  exchange(uwsgi::encode(nginx_vars("GET", "/", {{"HTTPS", "off"}})));
  const auto built = only(finish(), Phase::EnvironBuilt);
  ASSERT_EQ(built.size(), 3u);
  EXPECT_EQ(data_of(built[0])["environ"]["wsgi.url_scheme"], "https");
  EXPECT_EQ(data_of(built[1])["environ"]["wsgi.url_scheme"], "https");
  EXPECT_EQ(data_of(built[2])["environ"]["wsgi.url_scheme"], "http");
}

TEST_P(Uwsgi, TheHttpPortKeepsWorkingAlongside) {
  for (int round = 0; round < 2; ++round) {
    RawClient http(stack->front_door().port);
    http.send("GET /user/http HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string over_http = http.read_until_close(10000);
    // Over HTTP, the model's own wire: Werkzeug's BaseWSGIServer answers HTTP/1.0.
    const std::string version = GetParam() == "dev" ? "HTTP/1.0" : "HTTP/1.1";
    EXPECT_EQ(over_http.rfind(version + " 200 OK\r\n", 0), 0u) << over_http;
    EXPECT_NE(over_http.find("\r\nConnection: close\r\n"), std::string::npos);
    EXPECT_EQ(over_http.substr(over_http.find("\r\n\r\n")), "\r\n\r\nHello, http!");

    const std::string over_uwsgi = exchange(uwsgi::encode(nginx_vars("GET", "/user/uwsgi")));
    EXPECT_EQ(over_uwsgi.substr(over_uwsgi.find("\r\n\r\n")), "\r\n\r\nHello, uwsgi!");
  }
  const auto trace = finish();
  std::vector<std::string> protocols;
  for (const auto& event : only(trace, Phase::Accept))
    protocols.push_back(data_of(event)["protocol"]);
  EXPECT_EQ(protocols, (std::vector<std::string>{"http", "uwsgi", "http", "uwsgi"}));
}

TEST_P(Uwsgi, TheRequestNumberComesFromTheProxysVar) {
  exchange(uwsgi::encode(nginx_vars("GET", "/", {{"HTTP_X_REQTRACE_REQ", "5"}})));
  exchange(uwsgi::encode(nginx_vars("GET", "/", {{"HTTP_X_REQTRACE_REQ", "zero"}})));
  const auto trace = finish();
  const auto received = only(trace, Phase::RequestReceived);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].req, 5);
  EXPECT_EQ(received[1].req, 1);  // an invalid number: the server counts
  for (const auto& event : only(trace, Phase::Sent)) EXPECT_TRUE(event.req == 5 || event.req == 1);
}

// The scenario's max_body_bytes bounds a uwsgi body as it bounds an HTTP one.
class UwsgiBodyLimit : public Uwsgi {
 protected:
  void SetUp() override {
    topology::Listen listen;
    listen.uwsgi_port = 0;
    start(listen, 16);
  }
};

TEST_P(UwsgiBodyLimit, ABodyOverTheLimitGets413) {
  // Only the packet: the server answers from CONTENT_LENGTH before any body is read (a body
  // left unread would make the close a reset that can eat the answer).
  const std::string response =
      exchange(uwsgi::encode(nginx_vars("POST", "/form", {{"CONTENT_LENGTH", "17"}})));
  EXPECT_EQ(response.rfind("HTTP/1.1 413 ", 0), 0u) << response;
  const std::string fits =
      exchange(uwsgi::encode(nginx_vars("POST", "/form",
                                        {{"CONTENT_LENGTH", "8"},
                                         {"CONTENT_TYPE", "application/x-www-form-urlencoded"}})) +
               "name=Ann");
  EXPECT_EQ(fits.substr(fits.find("\r\n\r\n")), "\r\n\r\nGot Ann");
  const auto errors = only(finish(), Phase::Error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].msg.find("CONTENT_LENGTH 17 is over the body limit of 16 bytes"),
            std::string::npos)
      << errors[0].msg;
}

INSTANTIATE_TEST_SUITE_P(Models, Uwsgi, ::testing::Values("dev", "threaded", "prefork"),
                         model_name);
INSTANTIATE_TEST_SUITE_P(Dev, UwsgiBodyLimit, ::testing::Values("dev"), model_name);

}  // namespace
}  // namespace reqtrace::testing
