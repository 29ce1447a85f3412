// The proxy serving static_root itself, over real sockets: headers, 304, HEAD, errors, and every
// way a path may try to leave the root.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "proxy_fixture.hpp"
#include "sim/http/http_date.hpp"
#include "support/raw_client.hpp"

namespace reqtrace::proxy {
namespace {

namespace fs = std::filesystem;
using testing::body_of;
using testing::header_of;
using testing::status_of;
using trace::Actor;
using trace::Phase;

constexpr const char* kCss = "body { color: #333; }\n";
constexpr const char* kSecret = "TOP SECRET: the proxy must never send this";

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(folder.path().empty());
    root = folder.path() / "root";
    folder.write("root/style.css", kCss);
    folder.write("root/js/app.js", "console.log('hi');\n");
    folder.write("root/%2e%2e/secret.txt", "a folder really named %2e%2e, inside the root\n");
    folder.write("root/.env", "SECRET_KEY=hidden\n");
    folder.write("secret.txt", kSecret);  // next to the root, never inside it
    // Symlinks: one staying inside, two leading out (to a file, to a folder).
    fs::create_symlink("style.css", root / "alias.css");
    fs::create_symlink("../secret.txt", root / "leak.txt");
    fs::create_symlink("..", root / "up");
    // A fixed modification time, so Last-Modified can be checked exactly.
    const timespec times[2] = {{1700000000, 0}, {1700000000, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, (root / "style.css").c_str(), times, 0), 0);

    // An upstream that says where a request went when it is not static.
    stack.start_server({testing::route("/<path:rest>", "app", "from the app: {rest}")});
    ProxyConfig config;
    config.static_root = root;
    stack.start_proxy(config);
  }

  std::string get(const std::string& request) {
    testing::RawClient client(stack.port());
    EXPECT_TRUE(client.connected());
    client.send(request);
    return client.read_until_close();
  }
  std::string get_path(const std::string& target, const std::string& extra = "") {
    return get("GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n" + extra +
               "\r\n");
  }

  testing::TempFolder folder;
  fs::path root;
  testing::ProxyStack stack;
};

TEST_F(StaticFilesTest, ServesAFileWithItsHeadersWithoutTheApp) {
  const std::string response = get_path("/static/style.css");
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(header_of(response, "Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(header_of(response, "Content-Length"), std::to_string(std::string(kCss).size()));
  EXPECT_EQ(header_of(response, "Last-Modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(header_of(response, "Server"), "nginx (reqtrace)");
  EXPECT_EQ(header_of(response, "Connection"), "close");
  EXPECT_EQ(body_of(response), kCss);

  const auto hits = stack.events_of(Actor::Proxy, Phase::StaticHit);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].req, 1);
  EXPECT_EQ(hits[0].level, trace::kOverview);
  EXPECT_EQ(hits[0].var("proxy.state"), "Serving a static file");
  EXPECT_EQ(nlohmann::json::parse(hits[0].data)["file"],
            fs::canonical(root / "style.css").string());
  // The request never reached the server or the app.
  EXPECT_TRUE(stack.events_of(Actor::Server, Phase::RequestReceived).empty());
  EXPECT_TRUE(stack.events_of(Actor::Proxy, Phase::Forward).empty());
  // Accept, static_hit, send, in that order, for request 1.
  std::vector<Phase> phases;
  for (const auto& event : stack.events())
    if (event.actor == Actor::Proxy && event.req == 1) phases.push_back(event.phase);
  EXPECT_EQ(phases, (std::vector<Phase>{Phase::Accept, Phase::StaticHit, Phase::Send}));
}

TEST_F(StaticFilesTest, ContentTypeComesFromTheExtension) {
  EXPECT_EQ(header_of(get_path("/static/js/app.js"), "Content-Type"),
            "application/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, NotModifiedWhenTheBrowsersCopyIsCurrent) {
  const std::string same =
      get_path("/static/style.css", "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n");
  EXPECT_EQ(status_of(same), 304) << same;
  EXPECT_EQ(body_of(same), "");
  EXPECT_EQ(header_of(same, "Content-Length"), std::nullopt);
  EXPECT_EQ(header_of(same, "Last-Modified"), "Tue, 14 Nov 2023 22:13:20 GMT");

  const std::string newer =
      get_path("/static/style.css", "If-Modified-Since: Wed, 15 Nov 2023 00:00:00 GMT\r\n");
  EXPECT_EQ(status_of(newer), 304);

  const std::string older =
      get_path("/static/style.css", "If-Modified-Since: Tue, 14 Nov 2023 22:13:19 GMT\r\n");
  EXPECT_EQ(status_of(older), 200);
  EXPECT_EQ(body_of(older), kCss);

  // A date that is not a date is ignored, as RFC 9110 says.
  const std::string junk = get_path("/static/style.css", "If-Modified-Since: yesterday\r\n");
  EXPECT_EQ(status_of(junk), 200);
}

TEST_F(StaticFilesTest, HeadGivesTheHeadersOnlyAndTheConnectionStaysOpen) {
  testing::RawClient client(stack.port());
  client.send("HEAD /static/style.css HTTP/1.1\r\nHost: test\r\n\r\n");
  // The head ends the response: read it by its blank line, then ask again on the same connection.
  std::string head;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (head.find("\r\n\r\n") == std::string::npos) {
    const std::string more = client.read_until_close(200);
    if (more.empty() && std::chrono::steady_clock::now() > give_up) break;  // a safety net only
    head += more;
  }
  EXPECT_EQ(status_of(head), 200) << head;
  EXPECT_EQ(header_of(head, "Content-Length"), std::to_string(std::string(kCss).size()));
  EXPECT_EQ(header_of(head, "Connection"), "keep-alive");
  EXPECT_EQ(body_of(head), "");

  client.send("GET /static/style.css HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  const std::string second = client.read_until_close();
  EXPECT_EQ(status_of(second), 200) << second;
  EXPECT_EQ(body_of(second), kCss);
  EXPECT_EQ(stack.events_of(Actor::Proxy, Phase::StaticHit).size(), 2u);
}

TEST_F(StaticFilesTest, MissingFileIs404WithNginxsPage) {
  const std::string response = get_path("/static/nope.css");
  EXPECT_EQ(status_of(response), 404);
  EXPECT_NE(body_of(response).find("<title>404 Not Found</title>"), std::string::npos);
  EXPECT_EQ(header_of(response, "Content-Type"), "text/html");
  const auto hits = stack.events_of(Actor::Proxy, Phase::StaticHit);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(hits[0].data)["status"], 404);
}

TEST_F(StaticFilesTest, DirectoriesAreNotListedAndOnlyGetAndHeadAreServed) {
  EXPECT_EQ(status_of(get_path("/static/")), 403);
  EXPECT_EQ(status_of(get_path("/static/js")), 403);
  const std::string post =
      get("POST /static/style.css HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nConnection: "
          "close\r\n\r\nx");
  EXPECT_EQ(status_of(post), 405);
  EXPECT_EQ(header_of(post, "Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, ASymlinkThatStaysInsideIsFollowed) {
  const std::string response = get_path("/static/alias.css");
  EXPECT_EQ(status_of(response), 200);
  EXPECT_EQ(body_of(response), kCss);
}

TEST_F(StaticFilesTest, OtherPathsGoToTheApp) {
  const std::string response = get_path("/staticky/page");
  EXPECT_EQ(status_of(response), 200);
  EXPECT_EQ(body_of(response), "from the app: staticky/page");
}

// One way of trying to get out of static_root, and what the proxy answers.
struct Escape {
  const char* name;
  const char* target;
  int status;
};

class PathTraversal : public StaticFilesTest, public ::testing::WithParamInterface<Escape> {};

TEST_P(PathTraversal, IsRefusedAndNothingOutsideIsSent) {
  ASSERT_TRUE(fs::exists(folder.path() / "secret.txt"));  // there really is something to steal
  const Escape& escape = GetParam();
  const std::string response = get_path(escape.target);
  EXPECT_EQ(status_of(response), escape.status) << response;
  EXPECT_EQ(response.find("TOP SECRET"), std::string::npos);
  EXPECT_EQ(response.find("SECRET_KEY"), std::string::npos);
  // The app never sees it either: the proxy answered.
  EXPECT_TRUE(stack.events_of(Actor::Proxy, Phase::Forward).empty());
  if (escape.status != 404) {
    const auto errors = stack.events_of(Actor::Proxy, Phase::Error);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(errors[0].data)["status"], escape.status);
    EXPECT_FALSE(nlohmann::json::parse(errors[0].data)["reason"].get<std::string>().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    EachClass, PathTraversal,
    ::testing::Values(Escape{"PlainDotDot", "/static/../secret.txt", 403},
                      Escape{"DotDotInTheMiddle", "/static/js/../../secret.txt", 403},
                      Escape{"EncodedDots", "/static/%2e%2e/secret.txt", 403},
                      Escape{"EncodedDotsMixedCase", "/static/%2E%2e/secret.txt", 403},
                      Escape{"OneDotEncoded", "/static/.%2e/secret.txt", 403},
                      Escape{"EncodedSlashToo", "/static/%2e%2e%2fsecret.txt", 403},
                      // Decoded once, %252e%252e is the name "%2e%2e": a real folder inside the
                      // root with no secret.txt in it here, so nothing is found; never "..".
                      Escape{"DoubleEncodedDots", "/static/%252e%252e/%252e%252e/secret.txt", 404},
                      Escape{"RawBackslash", "/static/..\\secret.txt", 403},
                      Escape{"EncodedBackslash", "/static/..%5csecret.txt", 403},
                      Escape{"EncodedBackslashAlone", "/static/js%5capp.js", 403},
                      Escape{"Nul", "/static/style.css%00.png", 400},
                      Escape{"NulBeforeDots", "/static/%00/../secret.txt", 400},
                      Escape{"DoubleSlashToEtcPasswd", "/static//etc/passwd", 403},
                      Escape{"EncodedAbsolutePath", "/static/%2fetc%2fpasswd", 403},
                      Escape{"OverlongDot", "/static/%c0%ae%c0%ae/secret.txt", 400},
                      Escape{"OverlongThreeByteDot", "/static/%e0%80%ae%e0%80%ae/secret.txt", 400},
                      Escape{"InvalidUtf8", "/static/%ff%fe.css", 400},
                      Escape{"LoneContinuationByte", "/static/%80.css", 400},
                      Escape{"Surrogate", "/static/%ed%a0%80.css", 400},
                      Escape{"DotSegment", "/static/./style.css", 403},
                      Escape{"HiddenFile", "/static/.env", 403},
                      Escape{"SymlinkToAFileOutside", "/static/leak.txt", 403},
                      Escape{"SymlinkToAFolderOutside", "/static/up/secret.txt", 403},
                      Escape{"BadPercentEscape", "/static/%zz.css", 400}),
    [](const ::testing::TestParamInfo<Escape>& param) { return std::string(param.param.name); });

TEST_F(StaticFilesTest, DoubleEncodingIsDecodedOnceSoItIsJustAName) {
  // %252e%252e decodes to the name "%2e%2e", and the root happens to hold a folder of that name.
  const std::string response = get_path("/static/%252e%252e/secret.txt");
  EXPECT_EQ(status_of(response), 200) << response;
  EXPECT_EQ(body_of(response), "a folder really named %2e%2e, inside the root\n");
}

}  // namespace
}  // namespace reqtrace::proxy
