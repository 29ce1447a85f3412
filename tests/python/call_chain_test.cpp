// The profile hook on a real Flask 2.2 app: each request's level-3 steps in the order Flask runs
// them, with the real endpoint, view_args and status; add_url_rule and url_map at import; and
// no hook where nobody looks (below level 3, untraced, on a thread that is not serving).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "flask/wsgi_harness.hpp"
#include "sim/python/python_app.hpp"
#include "support/temp_path.hpp"
#include "trace/recorder.hpp"

namespace {

using reqtrace::flask::testing::make_environ;
using reqtrace::flask::testing::run;
using reqtrace::python::PythonApp;
using reqtrace::python::WsgiTarget;
using reqtrace::trace::Event;
using reqtrace::trace::name_of;

constexpr const char* kShop = R"(import sys
from flask import Flask, abort, request

app = Flask(__name__)


@app.before_request
def gate():
    if request.path == "/closed":
        return "Closed today", 503


@app.after_request
def stamp(response):
    response.headers["X-Stamp"] = "1"
    return response


@app.route("/user/<name>")
def user(name):
    return f"Hello {name}"


@app.route("/form", methods=["POST"])
def form():
    return "ok"


@app.route("/boom")
def boom():
    return 1 / 0


@app.route("/closed")
def closed():
    return "never"


@app.route("/hooked")
def hooked():
    return repr(sys.getprofile() is not None)
)";

class CallChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    recorder_.add_sink([this](const std::vector<Event>& batch) {
      events_.insert(events_.end(), batch.begin(), batch.end());
    });
  }

  std::unique_ptr<PythonApp> load(const std::string& stem, const std::string& source,
                                  reqtrace::trace::Emitter voice, int level = 3) {
    const auto folder = reqtrace::testing::temp_path("call-chain-" + stem);
    std::filesystem::create_directories(folder);
    std::ofstream(folder / (stem + ".py")) << source;
    std::string error;
    auto app =
        PythonApp::load(WsgiTarget{folder / (stem + ".py"), "app"}, std::move(voice), error, level);
    EXPECT_NE(app, nullptr) << error;
    return app;
  }

  reqtrace::trace::Emitter voice() {
    return reqtrace::trace::Emitter(&recorder_, reqtrace::trace::Actor::App, "app");
  }

  // Request `req`'s app phases, in order, after running `method path` through `app`.
  std::vector<std::string> phases(PythonApp& app, const std::string& method,
                                  const std::string& path, int req, std::string* status = nullptr) {
    auto env = make_environ(method, path, "", "", req);
    const auto result = run(app, env);
    if (status != nullptr) *status = result.status;
    recorder_.flush();
    std::vector<std::string> out;
    for (const auto& event : events_)
      if (event.req == req) out.emplace_back(name_of(event.phase));
    return out;
  }

  const Event* find(int req, std::string_view phase) const {
    for (const auto& event : events_)
      if (event.req == req && name_of(event.phase) == phase) return &event;
    return nullptr;
  }

  std::vector<Event> events_;  // before the recorder: its last flush lands here
  reqtrace::trace::Recorder recorder_;
};

using Phases = std::vector<std::string>;

TEST_F(CallChainTest, AGetRunsFlasksWholePathInOrder) {
  auto app = load("chain_ok", kShop, voice());
  ASSERT_NE(app, nullptr);
  std::string status;
  EXPECT_EQ(phases(*app, "GET", "/user/ada", 1, &status),
            (Phases{"call", "push_context", "match", "full_dispatch", "preprocess", "preprocess",
                    "dispatch", "view", "view_return", "make_response", "process_response",
                    "process_response", "teardown", "close"}));
  EXPECT_EQ(status, "200 OK");
  const auto match = nlohmann::json::parse(find(1, "match")->data);
  EXPECT_EQ(match["endpoint"], "user");
  EXPECT_EQ(match["rule"], "/user/<name>");
  EXPECT_EQ(match["view_args"], (nlohmann::json{{"name", "ada"}}));
  const auto returned = nlohmann::json::parse(find(1, "view_return")->data);
  EXPECT_EQ(returned["returned"], "Hello ada");
  EXPECT_EQ(returned["status"], 200);
  EXPECT_EQ(nlohmann::json::parse(find(1, "make_response")->data)["status"], "200 OK");
  EXPECT_EQ(find(1, "view")->var("app.state"), "Running user() route");
}

TEST_F(CallChainTest, A404AndA405RaiseTheStoredRoutingErrorWithoutAView) {
  auto app = load("chain_404", kShop, voice());
  ASSERT_NE(app, nullptr);
  const Phases no_view{
      "call",       "push_context", "match",         "full_dispatch",    "preprocess",
      "preprocess", "dispatch",     "make_response", "process_response", "process_response",
      "teardown",   "close"};
  std::string status;
  EXPECT_EQ(phases(*app, "GET", "/missing", 1, &status), no_view);
  EXPECT_EQ(status, "404 NOT FOUND");
  EXPECT_EQ(nlohmann::json::parse(find(1, "match")->data)["routing_exception"], "NotFound");
  EXPECT_EQ(phases(*app, "GET", "/form", 2, &status), no_view);
  EXPECT_EQ(status, "405 METHOD NOT ALLOWED");
  const auto match = nlohmann::json::parse(find(2, "match")->data);
  EXPECT_EQ(match["routing_exception"], "MethodNotAllowed");
  EXPECT_EQ(match["valid_methods"], (nlohmann::json{"OPTIONS", "POST"}));
  EXPECT_EQ(find(2, "dispatch")->var("app.state"), "MethodNotAllowed: no view runs");
}

TEST_F(CallChainTest, AViewThatRaisesGoesThroughHandleException) {
  auto app = load("chain_boom", kShop, voice());
  ASSERT_NE(app, nullptr);
  std::string status;
  EXPECT_EQ(phases(*app, "GET", "/boom", 1, &status),
            (Phases{"call", "push_context", "match", "full_dispatch", "preprocess", "preprocess",
                    "dispatch", "view", "error", "wsgi_errors", "make_response", "process_response",
                    "process_response", "teardown", "close"}));
  EXPECT_EQ(status, "500 INTERNAL SERVER ERROR");
  const auto error = nlohmann::json::parse(find(1, "error")->data);
  EXPECT_EQ(error["exception"], "ZeroDivisionError");
  EXPECT_EQ(error["status"], 500);
  EXPECT_EQ(nlohmann::json::parse(find(1, "teardown")->data)["exc"], "ZeroDivisionError");
}

TEST_F(CallChainTest, WritesToWsgiErrorsAreEventsALineAtATime) {
  auto app = load("errors_app", R"(
def app(environ, start_response):
    errors = environ['wsgi.errors']
    errors.write("half a ")
    errors.writelines(["line\n", "and "])
    print("more", file=errors)
    errors.write("unfinished")
    errors.flush()
    start_response('200 OK', [])
    return [b'']
)",
                  voice(), 2);
  ASSERT_NE(app, nullptr);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(phases(*app, "GET", "/", 1), (Phases{"call", "wsgi_errors", "wsgi_errors",
                                                 "wsgi_errors"}));  // a list has no close()
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "half a line\nand more\nunfinished");
  std::vector<std::string> texts;
  for (const auto& event : events_) {
    if (event.phase != reqtrace::trace::Phase::WsgiErrors) continue;
    EXPECT_EQ(event.actor, reqtrace::trace::Actor::App);
    texts.push_back(nlohmann::json::parse(event.data)["text"]);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"half a line\n", "and more\n", "unfinished"}));
}

TEST_F(CallChainTest, ABeforeRequestThatAnswersSkipsTheView) {
  auto app = load("chain_gate", kShop, voice());
  ASSERT_NE(app, nullptr);
  std::string status;
  EXPECT_EQ(phases(*app, "GET", "/closed", 1, &status),
            (Phases{"call", "push_context", "match", "full_dispatch", "preprocess", "preprocess",
                    "make_response", "process_response", "process_response", "teardown", "close"}));
  EXPECT_EQ(status, "503 SERVICE UNAVAILABLE");
}

TEST_F(CallChainTest, TheAfterRequestFunctionIsNamed) {
  auto app = load("chain_after", kShop, voice());
  ASSERT_NE(app, nullptr);
  phases(*app, "GET", "/user/ada", 1);
  std::vector<nlohmann::json> steps;
  for (const auto& event : events_)
    if (event.req == 1 && name_of(event.phase) == "process_response")
      steps.push_back(nlohmann::json::parse(event.data));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]["after_request_funcs"], 1);
  EXPECT_EQ(steps[1]["function"], "stamp");
}

TEST_F(CallChainTest, ImportSaysEachAddUrlRuleAndTheWholeUrlMap) {
  auto app = load("chain_import", kShop, voice());
  ASSERT_NE(app, nullptr);
  recorder_.flush();
  std::vector<nlohmann::json> rules;
  for (const auto& event : events_)
    if (event.req == 0 && name_of(event.phase) == "add_url_rule")
      rules.push_back(nlohmann::json::parse(event.data));
  ASSERT_EQ(rules.size(), 7u);  // static, five routes, then url_map
  EXPECT_EQ(rules[0]["rule"], "/static/<path:filename>");
  EXPECT_EQ(rules[0]["endpoint"], "static");
  EXPECT_EQ(rules[2]["rule"], "/form");
  EXPECT_EQ(rules[2]["methods"], (nlohmann::json{"OPTIONS", "POST"}));
  ASSERT_EQ(rules[6]["url_map"].size(), 6u);
  EXPECT_EQ(rules[6]["url_map"][0]["rule"], "/static/<path:filename>");
}

TEST_F(CallChainTest, BelowLevelThreeTheHookIsNeverInstalled) {
  for (int level : {1, 2}) {
    events_.clear();
    auto app = load("chain_level" + std::to_string(level), kShop, voice(), level);
    ASSERT_NE(app, nullptr);
    auto env = make_environ("GET", "/hooked", "", "", 1);
    EXPECT_EQ(run(*app, env).body, "False");
    recorder_.flush();
    for (const auto& event : events_) {
      EXPECT_NE(name_of(event.phase), "add_url_rule");
      EXPECT_NE(name_of(event.phase), "match");
    }
  }
  auto untraced = load("chain_untraced", kShop, reqtrace::trace::Emitter());
  ASSERT_NE(untraced, nullptr);
  auto env = make_environ("GET", "/hooked", "", "", 1);
  EXPECT_EQ(run(*untraced, env).body, "False");
}

TEST_F(CallChainTest, OnlyTheServingThreadSeesTheHook) {
  auto app = load("chain_threads", std::string(kShop) + R"(
import threading
seen = []
def look():
    seen.append(sys.getprofile() is not None)

@app.route("/spawn")
def spawn():
    helper = threading.Thread(target=look)
    helper.start()
    helper.join()
    return repr(seen)
)",
                  voice());
  ASSERT_NE(app, nullptr);
  auto env = make_environ("GET", "/hooked", "", "", 1);
  EXPECT_EQ(run(*app, env).body, "True");  // the serving thread, while it serves
  auto spawn = make_environ("GET", "/spawn", "", "", 2);
  EXPECT_EQ(run(*app, spawn).body, "[False]");  // a thread the view started
  // A thread of ours that served a request runs Python afterwards without the hook: an app
  // loaded untraced answers on it, and looks.
  auto untraced = load("chain_after_serving", kShop, reqtrace::trace::Emitter());
  ASSERT_NE(untraced, nullptr);
  std::string seen_after;
  std::thread([&] {
    auto served = make_environ("GET", "/user/x", "", "", 3);
    run(*app, served);
    auto look = make_environ("GET", "/hooked", "", "", 4);
    seen_after = run(*untraced, look).body;
  }).join();
  EXPECT_EQ(seen_after, "False");
}

}  // namespace
