// Real Flask 2.2 beside our Flask model, on flask-routing's routes: the same answers on the wire
// (Werkzeug's run_simple against `reqtrace serve`), and a request's steps in the same order
// (real Flask's methods, hooks and signals recorded, against our level-3 events).
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/flask/flask_app.hpp"
#include "sim/topology/load_scenario.hpp"
#include "sim/topology/scenario_views.hpp"
#include "support/peer.hpp"
#include "support/process.hpp"
#include "support/raw_client.hpp"
#include "wsgi_harness.hpp"

namespace {

namespace fs = std::filesystem;
using reqtrace::testing::Background;
using reqtrace::testing::free_port;
using reqtrace::testing::RawClient;
using reqtrace::testing::read_file;
using reqtrace::testing::run_process;
using reqtrace::testing::wait_until_accepting;

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, where python3-flask is

// flask-routing's routes as a student writes them: scenarios/apps/flask_routing.py, which
// `python3 routing_app.py PORT` serves with run_simple without threaded: Werkzeug's
// single-threaded BaseWSGIServer, the model flask-routing runs on.
void write_routing_app(const fs::path& dir) {
  fs::copy_file(fs::path(REQTRACE_SOURCE_DIR) / "scenarios" / "apps" / "flask_routing.py",
                dir / "routing_app.py", fs::copy_options::overwrite_existing);
}

// Real Flask with each step of a request recorded where Flask takes it: its methods, its
// hooks and the request_started signal, for the routes above plus the timing middleware.
constexpr const char* kOrderScript = R"py(
import json
import sys

from flask import Flask, request_started
from flask.ctx import RequestContext
from werkzeug.routing import Map
from werkzeug.test import EnvironBuilder

from routing_app import make_app

calls = []


class TracedMap(Map):
    def add(self, rule):
        calls.append({"url_map.add": rule.rule, "endpoint": rule.endpoint,
                      "methods": sorted(rule.methods)})
        super().add(rule)


class TracedContext(RequestContext):
    def push(self):
        calls.append("push_context")
        super().push()

    def match_request(self):
        calls.append("match")
        super().match_request()


class TracedFlask(Flask):
    url_map_class = TracedMap

    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        calls.append({"add_url_rule": rule})
        super().add_url_rule(rule, endpoint, view_func, **options)

    def __call__(self, environ, start_response):
        calls.append("call")
        return super().__call__(environ, start_response)

    def request_context(self, environ):
        return TracedContext(self, environ)

    def full_dispatch_request(self):
        calls.append("full_dispatch")
        return super().full_dispatch_request()

    def preprocess_request(self):
        calls.append("preprocess")
        return super().preprocess_request()

    def dispatch_request(self):
        calls.append("dispatch")
        return super().dispatch_request()

    def handle_exception(self, e):
        calls.append("error")
        return super().handle_exception(e)

    def make_response(self, rv):
        calls.append("make_response")
        return super().make_response(rv)

    def process_response(self, response):
        calls.append("process_response")
        return super().process_response(response)

    def do_teardown_request(self, *args):
        calls.append("teardown")
        return super().do_teardown_request(*args)


app = make_app(TracedFlask)
startup = list(calls)

# The timing middleware of our scenarios: it runs first, and again when start_response goes by.
inner = app.wsgi_app


def timing(environ, start_response):
    calls.append("middleware")

    def timed_start_response(status, headers, exc_info=None):
        calls.append("middleware")
        return start_response(status, headers, exc_info)

    return inner(environ, timed_start_response)


app.wsgi_app = timing


def started(sender, **extra):
    calls.append("request_started")


request_started.connect(started, app)


@app.before_request
def before():
    calls.append("before_request")


@app.after_request
def after(response):
    calls.append("after_request")
    response.call_on_close(lambda: calls.append("close"))
    return response


@app.teardown_request
def teardown(exc):
    calls.append("teardown_request")


# The views run inside dispatch_request: record them by wrapping each.
for endpoint, view in list(app.view_functions.items()):
    def traced(*args, _view=view, **kwargs):
        calls.append("view")
        rv = _view(*args, **kwargs)
        calls.append("view_return")
        return rv
    app.view_functions[endpoint] = traced

class TracedErrors:
    """wsgi.errors as our servers keep it: a write that ends a line is a step."""

    def write(self, text):
        sys.stderr.write(text)
        if "\n" in text:
            calls.append("wsgi_errors")

    def flush(self):
        sys.stderr.flush()


requests = {}
for line in sys.argv[1:]:
    method, path = line.split(" ", 1)
    calls.clear()
    environ = EnvironBuilder(path=path, method=method).get_environ()
    environ["wsgi.errors"] = TracedErrors()
    body = app(environ, lambda status, headers, exc_info=None: None)
    for _ in body:
        pass
    body.close()
    requests[line] = list(calls)
json.dump({"startup": startup, "requests": requests}, sys.stdout)
)py";

// One HTTP exchange as the wire shows it: the status line after the version, the headers a
// client acts on, and the body.
struct Answer {
  std::string status;                         // "404 NOT FOUND"
  std::map<std::string, std::string> fields;  // lower-case name -> value
  std::string body;
  std::string raw;
};

// What a client acts on. Date and Server are left out: they differ by nature.
const std::vector<std::string> kComparedFields = {"content-type", "content-length", "allow",
                                                  "location"};

Answer ask(int port, const std::string& method, const std::string& target,
           const std::string& form = "") {
  std::string request = method + " " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n";
  if (!form.empty())
    request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
               std::to_string(form.size()) + "\r\n";
  request += "\r\n" + form;
  RawClient client(port);
  Answer answer;
  if (!client.send(request)) return answer;
  answer.raw = client.read_until_close();
  const auto head_end = answer.raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return answer;
  std::istringstream head(answer.raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (const auto space = line.find(' '); space != std::string::npos)
    answer.status = line.substr(space + 1);
  reqtrace::testing::read_header_fields(head, answer.fields);
  answer.body = answer.raw.substr(head_end + 4);
  // A redirect names the server's own port; the two servers listen on different ones.
  const std::regex own_port(":" + std::to_string(port) + "/");
  for (auto& [name, value] : answer.fields) value = std::regex_replace(value, own_port, ":PORT/");
  answer.body = std::regex_replace(answer.body, own_port, ":PORT/");
  // Allow lists a Python set: its order changes from one run of Python to the next.
  if (auto allow = answer.fields.find("allow"); allow != answer.fields.end()) {
    std::set<std::string> methods;
    std::istringstream list(allow->second);
    for (std::string item; std::getline(list, item, ',');)
      methods.insert(item.substr(item.find_first_not_of(' ')));
    allow->second.clear();
    for (const auto& item : methods) allow->second += (allow->second.empty() ? "" : ", ") + item;
  }
  return answer;
}

// Real Flask under run_simple and `reqtrace serve flask-routing`, up for the whole suite.
class FlaskPeers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "reqtrace-flask-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir = pattern;
    write_routing_app(dir);

    // A port taken between free_port() and Werkzeug's bind is rare; try a few.
    for (int attempt = 0; attempt < 3 && real_port == 0; ++attempt) {
      const int port = free_port();
      real = std::make_unique<Background>(
          std::vector<std::string>{"/bin/sh", "-c",
                                   std::string("cd \"$0\" && exec ") + kPython +
                                       " routing_app.py " + std::to_string(port) + " 2>>flask.log",
                                   dir.string()});
      if (wait_until_accepting(port, std::chrono::seconds(15)))
        real_port = port;
      else
        real.reset();
    }

    ours = std::make_unique<Background>(
        std::vector<std::string>{REQTRACE_BINARY, "serve", "flask-routing", "--port", "0"});
    static const std::regex serving(R"(Serving flask-routing on http://127\.0\.0\.1:(\d+)/)");
    for (int i = 0; i < 20 && our_port == 0; ++i) {
      const std::string line = ours->read_line(15000);
      serve_output += line + "\n";
      if (line.empty()) break;
      std::smatch match;
      if (std::regex_search(line, match, serving)) our_port = std::stoi(match[1]);
    }
  }

  static void TearDownTestSuite() {
    if (real) real->stop(SIGTERM);
    if (ours) ours->stop(SIGTERM);
    real.reset();
    ours.reset();
    if (!dir.empty()) fs::remove_all(dir);
  }

  void SetUp() override {
    ASSERT_NE(real_port, 0) << "real Flask never listened (python3-flask installed?); its log:\n"
                            << read_file(dir / "flask.log");
    ASSERT_NE(our_port, 0) << "reqtrace serve did not say where it listens:\n" << serve_output;
  }

  // Sends the same request to both and expects the same status, fields and body.
  static void expect_same(const std::string& method, const std::string& target,
                          const std::string& form = "") {
    SCOPED_TRACE(method + " " + target);
    const Answer theirs = ask(real_port, method, target, form);
    const Answer mine = ask(our_port, method, target, form);
    ASSERT_FALSE(theirs.status.empty()) << "real Flask sent:\n" << theirs.raw;
    EXPECT_EQ(mine.status, theirs.status);
    for (const auto& name : kComparedFields) {
      const auto real_value = theirs.fields.find(name);
      const auto our_value = mine.fields.find(name);
      ASSERT_EQ(our_value != mine.fields.end(), real_value != theirs.fields.end())
          << name << " sent by one server only";
      if (real_value != theirs.fields.end()) {
        EXPECT_EQ(our_value->second, real_value->second) << name;
      }
    }
    EXPECT_EQ(mine.body, theirs.body);
  }

  static inline fs::path dir;
  static inline std::unique_ptr<Background> real;
  static inline std::unique_ptr<Background> ours;
  static inline int real_port = 0;
  static inline int our_port = 0;
  static inline std::string serve_output;
};

TEST_F(FlaskPeers, ViewsAnswerTheSame) {
  expect_same("GET", "/");
  expect_same("GET", "/secret");
  expect_same("GET", "/user/ada");
  expect_same("GET", "/post/7");
  expect_same("POST", "/form", "name=Ada");
}

TEST_F(FlaskPeers, NotFoundPageIsTheSame) {
  expect_same("GET", "/missing");
  expect_same("GET", "/post/abc");  // the int converter refuses the segment
  expect_same("GET", "/secret/");   // a leaf rule does not take a trailing slash
  // Real Flask's /static/<path:filename> finds no file; ours has no such rule: 404 both.
  expect_same("GET", "/static/app.css");
}

TEST_F(FlaskPeers, MethodNotAllowedHasTheSameAllowAndPage) {
  expect_same("GET", "/form");
  expect_same("DELETE", "/");
}

TEST_F(FlaskPeers, StrictSlashRedirectIsTheSame308) {
  expect_same("GET", "/docs");
  expect_same("GET", "/docs?page=2");
}

TEST_F(FlaskPeers, ExceptionInAViewIsTheSame500Page) {
  expect_same("GET", "/boom");
}

TEST_F(FlaskPeers, MissingFormFieldIsTheSame400Page) {
  expect_same("POST", "/form", "other=1");
}

TEST_F(FlaskPeers, HeadHasTheHeadersOfGetAndNoBody) {
  expect_same("HEAD", "/");
  expect_same("HEAD", "/missing");
}

TEST_F(FlaskPeers, AutomaticOptionsIsTheSame) {
  expect_same("OPTIONS", "/");
  expect_same("OPTIONS", "/form");
}

// What real Flask did for each request, and at startup, as order.py recorded it.
nlohmann::json real_flask_order(const std::vector<std::string>& requests) {
  std::string pattern = (fs::temp_directory_path() / "reqtrace-flask-order-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  const fs::path dir = pattern;
  write_routing_app(dir);
  std::ofstream(dir / "order.py") << kOrderScript;
  std::vector<std::string> argv = {"/bin/sh", "-c",
                                   "cd \"$0\" && exec " + std::string(kPython) + " order.py \"$@\"",
                                   dir.string()};
  argv.insert(argv.end(), requests.begin(), requests.end());
  const auto result = run_process(argv);
  fs::remove_all(dir);
  if (result.exit_code != 0) {
    ADD_FAILURE() << "order.py failed (python3-flask installed?):\n" << result.err;
    return {};
  }
  return nlohmann::json::parse(result.out);
}

// Our flask-routing app, built as `reqtrace run` builds it, with the timing middleware and one
// hook of each kind, as order.py registers them.
struct OurApp {
  OurApp() {
    const auto loaded = reqtrace::topology::load_file(fs::path(REQTRACE_SOURCE_DIR) / "scenarios" /
                                                      "flask-routing.json");
    if (!loaded) return;
    app = reqtrace::topology::build_app(
        loaded.scenario->routes, {"timing"},
        reqtrace::trace::Emitter(&recorder, reqtrace::trace::Actor::App, "app"));
    app->before_request([](const reqtrace::flask::Request&) { return std::nullopt; });
    app->after_request([](reqtrace::flask::Response response) { return response; });
    app->teardown_request([](const std::exception_ptr&) {});
  }
  reqtrace::trace::Recorder recorder;
  reqtrace::flask::testing::CollectedEvents events{recorder};
  std::unique_ptr<reqtrace::flask::Flask> app;
};

// "GET /boom" -> the app's phases for it, driven as a server drives it.
std::vector<std::string> our_phases(OurApp& ours, const std::string& request, int req) {
  const auto space = request.find(' ');
  auto env = reqtrace::flask::testing::make_environ(request.substr(0, space),
                                                    request.substr(space + 1), "", "", req);
  reqtrace::flask::testing::run(*ours.app, env);
  std::vector<std::string> phases;
  for (const auto& event : ours.events.events())
    if (event.req == req) phases.emplace_back(reqtrace::trace::name_of(event.phase));
  return phases;
}

TEST(FlaskOrder, RequestStepsComeInRealFlasksOrder) {
  const std::vector<std::string> requests = {
      "GET /", "GET /user/ada", "GET /missing", "GET /form", "GET /docs", "GET /boom", "OPTIONS /"};
  const nlohmann::json real = real_flask_order(requests);
  ASSERT_TRUE(real.contains("requests"));
  OurApp ours;
  ASSERT_TRUE(ours.app);
  // A hook or signal runs inside the step that calls it: right after that step begins.
  const std::map<std::string, std::string> hook_inside = {{"request_started", "full_dispatch"},
                                                          {"before_request", "preprocess"},
                                                          {"after_request", "process_response"},
                                                          {"teardown_request", "teardown"}};
  int req = 0;
  for (const auto& request : requests) {
    SCOPED_TRACE(request);
    std::vector<std::string> steps;
    for (const auto& call : real["requests"][request]) {
      const std::string name = call.get<std::string>();
      if (const auto hook = hook_inside.find(name); hook != hook_inside.end()) {
        ASSERT_FALSE(steps.empty());
        EXPECT_EQ(steps.back(), hook->second) << name << " ran outside " << hook->second;
        continue;
      }
      steps.push_back(name);
    }
    EXPECT_EQ(our_phases(ours, request, ++req), steps);
  }
}

TEST(FlaskOrder, RoutesAreAddedAtStartupAsRealFlaskAddsThem) {
  const nlohmann::json real = real_flask_order({});
  ASSERT_TRUE(real.contains("startup"));
  // Real Flask(__name__) first adds /static/<path:filename> for its static folder; our app
  // has none (docs/fidelity.md says why). Each @app.route is add_url_rule, then url_map.add.
  nlohmann::json expected = nlohmann::json::array();
  std::string pending_rule;
  for (const auto& call : real["startup"]) {
    if (call.contains("add_url_rule")) {
      pending_rule = call["add_url_rule"];
      continue;
    }
    EXPECT_EQ(call["url_map.add"], pending_rule) << "url_map.add outside add_url_rule";
    if (call["endpoint"] == "static") continue;
    expected.push_back({{"rule", call["url_map.add"]},
                        {"endpoint", call["endpoint"]},
                        {"methods", call["methods"]}});
  }
  OurApp ours;
  ASSERT_TRUE(ours.app);
  nlohmann::json added = nlohmann::json::array();
  for (const auto& event : ours.events.events()) {
    if (event.phase != reqtrace::trace::Phase::AddUrlRule) continue;
    const auto data = nlohmann::json::parse(event.data);
    added.push_back(
        {{"rule", data["rule"]}, {"endpoint", data["endpoint"]}, {"methods", data["methods"]}});
  }
  EXPECT_EQ(added, expected);
}

}  // namespace
