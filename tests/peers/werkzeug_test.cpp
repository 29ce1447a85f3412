// Werkzeug 2.2.2's own development servers (Debian's python3-werkzeug, with a tiny Flask app)
// next to our models of them, on the same raw requests: dev = run_simple(...), dev-threaded =
// run_simple(..., threaded=True), fork-per-request = run_simple(..., processes=2).
#include <unistd.h>

#include <gtest/gtest.h>

#include "peers/wire.hpp"

namespace reqtrace::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// serving.py's run_simple with the server's options, as a student would start it.
constexpr const char* kRunSimple = R"(import sys

from werkzeug.serving import run_simple

from app import app

port, threaded, processes = int(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3])
run_simple("127.0.0.1", port, app, threaded=threaded, processes=processes)
)";

struct Server {
  std::string name;  // the test's suffix
  std::string model;
  std::string server_extra;  // more of the scenario's "server" object
  bool threaded;
  int processes;
};

class WerkzeugPeer : public WirePeer<Server> {
 protected:
  void SetUp() override {
    // The peers are part of the test list: missing is a failure, not a skip.
    ASSERT_EQ(::access(kPython, X_OK), 0) << kPython << " not found";
    ASSERT_EQ(run_process({kPython, "-c", "import flask, werkzeug"}).exit_code, 0)
        << "install Debian's python3-flask and python3-werkzeug to run the Werkzeug peer test";
    ASSERT_FALSE(dir.path().empty());
    dir.write("app.py", kFlaskApp);
    const auto script = dir.write("run.py", kRunSimple);
    const Server& server = GetParam();
    start(
        {"/usr/bin/env", "PYTHONPATH=" + dir.path().string(), kPython, script.string(),
         std::to_string(real_port), server.threaded ? "1" : "0", std::to_string(server.processes)},
        server.model, server.server_extra);
  }
};

TEST_P(WerkzeugPeer, StatusLineVersionAndConnectionClose) {
  expect_same("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
}

TEST_P(WerkzeugPeer, NoSecondRequestOnAConnection) {
  EXPECT_FALSE(answers_a_second_request(real_port)) << "Werkzeug 2.2.2 always closes";
  EXPECT_FALSE(answers_a_second_request(our_port));
}

TEST_P(WerkzeugPeer, FramesAStreamedBodyTheSameWay) {
  expect_same("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
}

TEST_P(WerkzeugPeer, HeadGetsTheHeadersAndNoBody) {
  expect_same("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
}

TEST_P(WerkzeugPeer, AnswersAnHttp10RequestTheSameWay) {
  expect_same("GET / HTTP/1.0\r\n\r\n");
  // Werkzeug's threaded and forking servers chunk even for an HTTP/1.0 client: run_wsgi looks
  // at the handler's protocol_version, not the request's.
  expect_same("GET /stream HTTP/1.0\r\n\r\n");
}

TEST_P(WerkzeugPeer, AnswersExpect100ContinueAsManyTimes) {
  // serving.py run_wsgi writes "HTTP/1.1 100 Continue" first thing; the threaded and forking
  // servers' HTTP/1.1 handler has already written one in http.server's parse_request
  // (handle_expect_100, for an HTTP/1.1 request only).
  expect_same(
      "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
  expect_same("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
}

TEST_P(WerkzeugPeer, EachServerNamesItself) {
  // run_wsgi sends version_string(): server_version ("Werkzeug/2.2.2"), then sys_version.
  expect_each_names_itself("Werkzeug/");
}

INSTANTIATE_TEST_SUITE_P(Servers, WerkzeugPeer,
                         ::testing::Values(Server{"dev", "dev", "", false, 1},
                                           Server{"dev_threaded", "dev-threaded", "", true, 1},
                                           Server{"fork_per_request", "fork-per-request",
                                                  R"(, "workers": 2)", false, 2}),
                         [](const ::testing::TestParamInfo<Server>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace reqtrace::testing
