// gunicorn 20.1's workers (Debian's gunicorn, serving a tiny Flask app) next to our models of
// them, on the same raw requests: prefork = -k sync, threaded = -k gthread --threads 2, with its
// keepalive (2 s by default) and with --keep-alive 0.
#include <unistd.h>

#include <gtest/gtest.h>

#include "peers/wire.hpp"

namespace reqtrace::testing {
namespace {

constexpr const char* kGunicorn = "/usr/bin/gunicorn";

struct Worker {
  std::string name;  // the test's suffix
  std::vector<std::string> gunicorn_args;
  std::string model;
  std::string server_extra;  // more of the scenario's "server" object
  bool keeps_alive;
};

class GunicornPeer : public WirePeer<Worker> {
 protected:
  void SetUp() override {
    // The peers are part of the test list: missing is a failure, not a skip.
    ASSERT_EQ(::access(kGunicorn, X_OK), 0)
        << kGunicorn << " not found: install Debian's gunicorn package to run this test";
    ASSERT_FALSE(dir.path().empty());
    dir.write("app.py", kFlaskApp);
    const Worker& worker = GetParam();
    std::vector<std::string> argv = {kGunicorn,
                                     "--chdir",
                                     dir.path().string(),
                                     "-b",
                                     "127.0.0.1:" + std::to_string(real_port),
                                     "--log-level",
                                     "warning"};
    argv.insert(argv.end(), worker.gunicorn_args.begin(), worker.gunicorn_args.end());
    argv.emplace_back("app:app");
    start(argv, worker.model, worker.server_extra);
  }
};

TEST_P(GunicornPeer, StatusLineVersionAndConnectionHeader) {
  expect_same("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
}

TEST_P(GunicornPeer, ASecondRequestOnTheConnectionOnlyWithKeepalive) {
  EXPECT_EQ(answers_a_second_request(real_port), GetParam().keeps_alive);
  EXPECT_EQ(answers_a_second_request(our_port), GetParam().keeps_alive);
}

TEST_P(GunicornPeer, ChunksAStreamedBodyForAnHttp11Client) {
  expect_same("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
}

TEST_P(GunicornPeer, HeadGetsTheHeadersAndNoBody) {
  expect_same("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
}

TEST_P(GunicornPeer, AnswersAnHttp10RequestInHttp10AndCloses) {
  expect_same("GET / HTTP/1.0\r\n\r\n");
  expect_same("GET /stream HTTP/1.0\r\n\r\n");
}

TEST_P(GunicornPeer, AnswersExpect100ContinueBeforeTheApp) {
  // gunicorn/http/wsgi.py create(): "HTTP/1.1 100 Continue" for the header, whatever the
  // request's version; the app then refuses the POST (405) as any other.
  expect_same(
      "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
  expect_same("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
}

TEST_P(GunicornPeer, EachServerNamesItself) {
  // gunicorn/http/wsgi.py: Response.default_headers sends "Server: %s" % self.version, which is
  // gunicorn.SERVER, "gunicorn" with no version.
  expect_each_names_itself("gunicorn");
}

INSTANTIATE_TEST_SUITE_P(
    Workers, GunicornPeer,
    ::testing::Values(Worker{"sync", {"-k", "sync", "-w", "1"}, "prefork", "", false},
                      Worker{"gthread",
                             {"-k", "gthread", "--threads", "2"},
                             "threaded",
                             R"(, "workers": 2, "keep_alive": true)",
                             true},
                      Worker{"gthread_keepalive_0",
                             {"-k", "gthread", "--threads", "2", "--keep-alive", "0"},
                             "threaded",
                             R"(, "workers": 2)",
                             false}),
    [](const ::testing::TestParamInfo<Worker>& param) { return param.param.name; });

}  // namespace
}  // namespace reqtrace::testing
