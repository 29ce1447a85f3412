// The app on the WSGI contract: the flask-routing routes driven with a hand-built environ,
// the exact responses, and the trace events in the order the code does things.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "sim/flask/flask_app.hpp"
#include "sim/flask/python_exception.hpp"
#include "wsgi_harness.hpp"

namespace reqtrace::flask {
namespace {

using testing::CollectedEvents;
using testing::run;

const std::string kHtmlType = "text/html; charset=utf-8";

std::string page(int code, const std::string& name, const std::string& description) {
  return "<!doctype html>\n<html lang=en>\n<title>" + std::to_string(code) + " " + name +
         "</title>\n<h1>" + name + "</h1>\n<p>" + description + "</p>\n";
}
const std::string kNotFoundPage =
    page(404, "Not Found",
         "The requested URL was not found on the server. If you entered the URL manually please "
         "check your spelling and try again.");

// The flask-routing example, written as a student would write it in Flask.
class FlaskRouting : public ::testing::Test {
 protected:
  FlaskRouting() : app("app", trace::Emitter(&recorder, trace::Actor::App, "app")) {
    app.add_url_rule("/", "home", [](const Request&) { return "Hello from Flask!"; });
    app.add_url_rule("/secret", "secret", [](const Request&) { return "You found me!"; });
    app.add_url_rule("/user/<name>", "show_user", [](const Request& request) {
      return "Hello, " + python_str(request.view_args.at("name")) + "!";
    });
    app.add_url_rule("/post/<int:post_id>", "show_post", [](const Request& request) {
      return "Post " + python_str(request.view_args.at("post_id"));
    });
    app.add_url_rule("/docs/", "docs", [](const Request&) { return "Docs index"; });
    app.add_url_rule("/form", "form",
                     [](const Request& request) { return "Got " + request.form()["name"]; },
                     {"POST"});
    app.add_url_rule("/boom", "boom", [](const Request&) -> ViewReturn {
      throw PythonException("ZeroDivisionError");  // return 1 / 0
    });
    events.clear();  // the add_url_rule events; AddUrlRuleIsAnEventPerRoute looks at them
  }

  trace::Recorder recorder;
  CollectedEvents events{recorder};
  Flask app;
};

TEST_F(FlaskRouting, EachRouteAnswersWithItsBody) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/", "Hello from Flask!"}, {"/secret", "You found me!"}, {"/user/ada", "Hello, ada!"},
      {"/post/7", "Post 7"},      {"/docs/", "Docs index"},
  };
  for (const auto& [path, body] : cases) {
    SCOPED_TRACE(path);
    const auto result = run(app, "GET", path);
    EXPECT_EQ(result.status, "200 OK");
    EXPECT_EQ(result.headers, (wsgi::Headers{{"Content-Type", kHtmlType},
                                             {"Content-Length", std::to_string(body.size())}}));
    EXPECT_EQ(result.body, body);
    EXPECT_EQ(result.known_length, body.size());
  }
}

TEST_F(FlaskRouting, ConverterMismatchIsNotFound) {
  const auto result = run(app, "GET", "/post/abc");
  EXPECT_EQ(result.status, "404 NOT FOUND");
  EXPECT_EQ(result.headers,
            (wsgi::Headers{{"Content-Type", kHtmlType}, {"Content-Length", "207"}}));
  EXPECT_EQ(result.body, kNotFoundPage);
}

TEST_F(FlaskRouting, MissingPageIsNotFound) {
  const auto result = run(app, "GET", "/missing");
  EXPECT_EQ(result.status, "404 NOT FOUND");
  EXPECT_EQ(result.body, kNotFoundPage);
}

TEST_F(FlaskRouting, BranchWithoutItsSlashRedirects) {
  const auto result = run(app, "GET", "/docs?lang=en");
  const std::string location = "http://localhost:5000/docs/?lang=en";
  const std::string body =
      "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
      "<p>You should be redirected automatically to the target URL: <a "
      "href=\"http://localhost:5000/docs/?lang=en\">http://localhost:5000/docs/?lang=en</a>. If "
      "not, click the link.\n";
  EXPECT_EQ(result.status, "308 PERMANENT REDIRECT");
  EXPECT_EQ(result.headers, (wsgi::Headers{{"Content-Type", kHtmlType},
                                           {"Content-Length", std::to_string(body.size())},
                                           {"Location", location}}));
  EXPECT_EQ(result.body, body);
  EXPECT_EQ(run(app, "GET", "/docs").header("Location"), "http://localhost:5000/docs/");
}

TEST_F(FlaskRouting, LeafWithASlashIsNotFound) {
  const auto result = run(app, "GET", "/secret/");
  EXPECT_EQ(result.status, "404 NOT FOUND");
  EXPECT_EQ(result.body, kNotFoundPage);
}

TEST_F(FlaskRouting, WrongMethodIsMethodNotAllowedWithAllow) {
  const auto result = run(app, "GET", "/form");
  EXPECT_EQ(result.status, "405 METHOD NOT ALLOWED");
  EXPECT_EQ(result.headers, (wsgi::Headers{{"Content-Type", kHtmlType},
                                           {"Allow", "OPTIONS, POST"},
                                           {"Content-Length", "153"}}));
  EXPECT_EQ(result.body,
            page(405, "Method Not Allowed", "The method is not allowed for the requested URL."));
}

TEST_F(FlaskRouting, PostedFormFieldReachesTheView) {
  const auto result = run(app, "POST", "/form", "name=Ada", "application/x-www-form-urlencoded");
  EXPECT_EQ(result.status, "200 OK");
  EXPECT_EQ(result.headers, (wsgi::Headers{{"Content-Type", kHtmlType}, {"Content-Length", "7"}}));
  EXPECT_EQ(result.body, "Got Ada");
  EXPECT_EQ(
      run(app, "POST", "/form", "name=Ada+Lovelace%21", "application/x-www-form-urlencoded").body,
      "Got Ada Lovelace!");
}

TEST_F(FlaskRouting, MissingFormFieldIsBadRequest) {
  const auto result =
      run(app, "POST", "/form", "email=a%40b.c", "application/x-www-form-urlencoded");
  EXPECT_EQ(result.status, "400 BAD REQUEST");
  EXPECT_EQ(result.headers,
            (wsgi::Headers{{"Content-Type", kHtmlType}, {"Content-Length", "167"}}));
  EXPECT_EQ(result.errors, "");  // an HTTP exception is an answer, not a crash: nothing logged
}

TEST_F(FlaskRouting, HeadHasTheHeadersOfGetAndNoBody) {
  const auto result = run(app, "HEAD", "/");
  EXPECT_EQ(result.status, "200 OK");
  EXPECT_EQ(result.headers, (wsgi::Headers{{"Content-Type", kHtmlType}, {"Content-Length", "17"}}));
  EXPECT_EQ(result.body, "");
  EXPECT_TRUE(result.chunks.empty());
  EXPECT_FALSE(result.known_length.has_value());
}

TEST_F(FlaskRouting, AutomaticOptionsListsTheAllowedMethods) {
  const auto result = run(app, "OPTIONS", "/");
  EXPECT_EQ(result.status, "200 OK");
  EXPECT_EQ(result.headers, (wsgi::Headers{{"Content-Type", kHtmlType},
                                           {"Allow", "GET, HEAD, OPTIONS"},
                                           {"Content-Length", "0"}}));
  EXPECT_EQ(result.body, "");
  EXPECT_EQ(run(app, "OPTIONS", "/form").header("Allow"), "OPTIONS, POST");
}

TEST_F(FlaskRouting, ExceptionInAViewIsA500AndALoggedTraceback) {
  const auto result = run(app, "GET", "/boom");
  EXPECT_EQ(result.status, "500 INTERNAL SERVER ERROR");
  EXPECT_EQ(result.headers,
            (wsgi::Headers{{"Content-Type", kHtmlType}, {"Content-Length", "265"}}));
  EXPECT_EQ(result.body, page(500, "Internal Server Error",
                              "The server encountered an internal error and was unable to "
                              "complete your request. Either the server is overloaded or there "
                              "is an error in the application."));
  const std::regex log(
      R"(\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR in app: Exception on /boom \[GET\]\n)"
      R"(Traceback \(most recent call last\):\n(  .*\n)+ZeroDivisionError: division by zero\n)");
  EXPECT_TRUE(std::regex_match(result.errors, log)) << result.errors;
  EXPECT_NE(result.errors.find("in boom\n"), std::string::npos);
}

TEST_F(FlaskRouting, EventsOfAGoodRequestInOrder) {
  run(app, "GET", "/user/ada");
  const auto& all = events.events();
  // flask/app.py wsgi_app: ctx.push() (which matches), full_dispatch_request,
  // preprocess_request, dispatch_request, the view, finalize_request (make_response,
  // process_response), then ctx.pop() in `finally`.
  EXPECT_EQ(events.phases(),
            (std::vector<std::string>{"call", "push_context", "match", "full_dispatch",
                                      "preprocess", "dispatch", "view", "view_return",
                                      "make_response", "process_response", "teardown", "close"}));
  for (const auto& event : all) {
    EXPECT_EQ(event.actor, trace::Actor::App);
    EXPECT_EQ(event.lane, "app");
    EXPECT_EQ(event.req, 1);
    EXPECT_EQ(event.level, 3) << trace::name_of(event.phase);
  }
  EXPECT_EQ(all[0].msg, "Flask.__call__(environ, start_response) hands over to self.wsgi_app");

  const auto match = nlohmann::json::parse(all[2].data);
  EXPECT_EQ(match["rule"], "/user/<name>");
  EXPECT_EQ(match["endpoint"], "show_user");
  EXPECT_EQ(match["view_args"], nlohmann::json({{"name", "ada"}}));
  EXPECT_EQ(match["methods"], nlohmann::json({"GET", "HEAD", "OPTIONS"}));

  EXPECT_EQ(all[6].var("app.state"), "Running show_user() route");
  const auto returned = nlohmann::json::parse(all[7].data);
  EXPECT_EQ(returned["returned"], "Hello, ada!");
  EXPECT_EQ(returned["status"], 200);
  const auto made = nlohmann::json::parse(all[8].data);
  EXPECT_EQ(made["status"], "200 OK");
  EXPECT_EQ(made["headers"],
            nlohmann::json::array({{"Content-Type", kHtmlType}, {"Content-Length", "11"}}));
  EXPECT_EQ(all[11].var("app.state"), "Idle");
  // No secret_key: open_session gives None, push() makes a NullSession, and
  // process_response does not save it (flask/sessions.py, flask/ctx.py push).
  EXPECT_EQ(nlohmann::json::parse(all[1].data)["session"],
            "NullSession (the app has no secret_key)");
  EXPECT_EQ(nlohmann::json::parse(all[9].data)["session"], "NullSession: not saved");
}

TEST_F(FlaskRouting, TypedViewArgsAppearTypedInTheMatchEvent) {
  run(app, "GET", "/post/007");
  const auto& all = events.events();
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(all[2].data)["view_args"], nlohmann::json({{"post_id", 7}}));
}

TEST_F(FlaskRouting, EventsOfAnErrorRequestInOrder) {
  run(app, "GET", "/boom");
  const auto& all = events.events();
  EXPECT_EQ(events.phases(),
            (std::vector<std::string>{"call", "push_context", "match", "full_dispatch",
                                      "preprocess", "dispatch", "view", "error", "wsgi_errors",
                                      "make_response", "process_response", "teardown", "close"}));
  const auto& error = all[7];
  EXPECT_EQ(error.level, 2);
  EXPECT_EQ(error.var("app.state"), "Error: ZeroDivisionError");
  const auto data = nlohmann::json::parse(error.data);
  EXPECT_EQ(data["exception"], "ZeroDivisionError");
  EXPECT_EQ(data["message"], "division by zero");
  EXPECT_EQ(data["status"], 500);
  // log_exception's record, traceback and all, is one write to wsgi.errors: one event.
  const auto& logged = all[8];
  EXPECT_EQ(logged.level, 2);
  EXPECT_EQ(logged.actor, trace::Actor::App);
  const std::string text = nlohmann::json::parse(logged.data)["text"];
  EXPECT_NE(text.find("ERROR in app: Exception on /boom [GET]\nTraceback"), std::string::npos);
  EXPECT_TRUE(text.ends_with("ZeroDivisionError: division by zero\n")) << text;
  EXPECT_EQ(nlohmann::json::parse(all[9].data)["status"], "500 INTERNAL SERVER ERROR");
  // The exception wsgi_app caught is what ctx.pop(error) hands to teardown.
  EXPECT_EQ(nlohmann::json::parse(all[11].data)["exc"], "ZeroDivisionError");
}

TEST_F(FlaskRouting, RoutingFailuresAreStoredAtMatchAndRaisedInDispatch) {
  run(app, "GET", "/missing");
  run(app, "GET", "/form");
  run(app, "GET", "/docs");
  // flask/ctx.py match_request keeps the failure as request.routing_exception;
  // flask/app.py dispatch_request raises it; no view runs.
  const std::vector<std::string> expected_one = {
      "call",          "push_context",     "match",    "full_dispatch", "preprocess", "dispatch",
      "make_response", "process_response", "teardown", "close"};
  std::vector<std::string> expected;
  for (int i = 0; i < 3; ++i)
    expected.insert(expected.end(), expected_one.begin(), expected_one.end());
  EXPECT_EQ(events.phases(), expected);

  const auto& all = events.events();
  const auto not_found = nlohmann::json::parse(all[2].data);
  EXPECT_EQ(not_found["outcome"], 404);
  EXPECT_EQ(not_found["reason"], "no rule matches '/missing'");
  EXPECT_EQ(not_found["routing_exception"], "NotFound");
  const auto not_allowed = nlohmann::json::parse(all[12].data);
  EXPECT_EQ(not_allowed["outcome"], 405);
  EXPECT_EQ(not_allowed["valid_methods"], nlohmann::json({"OPTIONS", "POST"}));
  const auto redirect = nlohmann::json::parse(all[22].data);
  EXPECT_EQ(redirect["outcome"], 308);
  EXPECT_EQ(redirect["new_url"], "http://localhost:5000/docs/");
  EXPECT_EQ(redirect["routing_exception"], "RequestRedirect");
  // The app ran, and says so: matching raised, no view ran, Flask answered.
  EXPECT_EQ(all[2].var("app.state"), "Matching the URL");
  EXPECT_EQ(all[5].var("app.state"), "NotFound: no view runs");
  EXPECT_EQ(all[15].var("app.state"), "MethodNotAllowed: no view runs");
  EXPECT_EQ(all[25].var("app.state"), "RequestRedirect: no view runs");
}

TEST_F(FlaskRouting, AnHttpExceptionFromAViewIsAnErrorEventWithItsStatus) {
  run(app, "POST", "/form", "x=1", "application/x-www-form-urlencoded");
  const auto& all = events.events();
  EXPECT_EQ(events.phases(),
            (std::vector<std::string>{"call", "push_context", "match", "full_dispatch",
                                      "preprocess", "dispatch", "view", "error", "make_response",
                                      "process_response", "teardown", "close"}));
  const auto data = nlohmann::json::parse(all[7].data);
  EXPECT_EQ(data["exception"], "BadRequestKeyError");
  EXPECT_EQ(data["status"], 400);
}

TEST_F(FlaskRouting, RequestIdComesFromTheEnviron) {
  wsgi::Environ env = testing::make_environ("GET", "/", "", "", 42);
  run(app, env);
  wsgi::Environ without = testing::make_environ("GET", "/");
  without.vars.erase("reqtrace.req");
  run(app, without);
  const auto& all = events.events();
  EXPECT_EQ(all.front().req, 42);
  EXPECT_EQ(all.back().req, 0);
}

TEST_F(FlaskRouting, TeardownComesAfterStartResponseAndCloseAfterTheBody) {
  // A start_response that notes how many events had been emitted when it was called.
  struct Noting : wsgi::StartResponse {
    explicit Noting(trace::Recorder& r) : recorder(r) {}
    void operator()(const std::string&, const wsgi::Headers&, bool) override {
      emitted_at_call = recorder.emitted();
    }
    trace::Recorder& recorder;
    std::uint64_t emitted_at_call = 0;
  } start_response(recorder);
  wsgi::Environ env = testing::make_environ("GET", "/");
  auto body = app(env, start_response);
  // The 7 add_url_rule events of building the app come first.
  EXPECT_EQ(start_response.emitted_at_call, 17u);  // call ... process_response, not teardown yet
  EXPECT_EQ(recorder.emitted(), 18u);              // teardown: wsgi_app has returned
  while (body->next()) {
  }
  EXPECT_EQ(recorder.emitted(), 18u);
  body->close();
  body->close();  // a second close does nothing
  EXPECT_EQ(recorder.emitted(), 19u);
}

TEST(Flask, WsgiAppIsWhatCallHandsOverTo) {
  Flask app("app", trace::Emitter());
  app.add_url_rule("/", "home", [](const Request&) { return "home"; });
  std::vector<std::string> seen;
  // app.wsgi_app = my_middleware(app.wsgi_app)
  app.wsgi_app = [inner = app.wsgi_app, &seen](wsgi::Environ& env, wsgi::StartResponse& sr) {
    seen.push_back(env.get_or("PATH_INFO", ""));
    return inner(env, sr);
  };
  EXPECT_EQ(run(app, "GET", "/").body, "home");
  EXPECT_EQ(seen, std::vector<std::string>{"/"});
}

TEST(Flask, ViewsMayStreamSetStatusAndAddHeaders) {
  Flask app("app", trace::Emitter());
  app.add_url_rule("/stream", "stream", [](const Request&) {
    ViewReturn rv{Generator([n = 0]() mutable -> std::optional<std::string> {
      if (n == 3) return std::nullopt;
      return "chunk " + std::to_string(n++) + "\n";
    })};
    rv.content_type = "text/plain; charset=utf-8";
    return rv;
  });
  app.add_url_rule("/created", "created", [](const Request&) {
    ViewReturn rv("made");
    rv.status = 201;
    rv.headers = {{"X-Id", "7"}, {"content-type", "application/json"}};
    return rv;
  });
  const auto streamed = run(app, "GET", "/stream");
  EXPECT_EQ(streamed.headers, (wsgi::Headers{{"Content-Type", "text/plain; charset=utf-8"}}));
  EXPECT_EQ(streamed.chunks, (std::vector<std::string>{"chunk 0\n", "chunk 1\n", "chunk 2\n"}));
  EXPECT_FALSE(streamed.known_length.has_value());
  EXPECT_EQ(run(app, "HEAD", "/stream").body, "");

  const auto created = run(app, "GET", "/created");
  EXPECT_EQ(created.status, "201 CREATED");
  EXPECT_EQ(created.headers,
            (wsgi::Headers{
                {"Content-Type", "application/json"}, {"Content-Length", "4"}, {"X-Id", "7"}}));
}

TEST(Flask, AViewThatListsOptionsAnswersItItself) {
  Flask app("app", trace::Emitter());
  app.add_url_rule("/cors", "cors", [](const Request& r) { return "view saw " + r.method; },
                   {"GET", "OPTIONS"});
  EXPECT_EQ(run(app, "OPTIONS", "/cors").body, "view saw OPTIONS");
  EXPECT_FALSE(app.url_map.iter_rules().front()->provide_automatic_options);
}

TEST(Flask, AddUrlRuleRefusesASecondViewForAnEndpointAndBadRules) {
  Flask app("app", trace::Emitter());
  app.add_url_rule("/", "home", [](const Request&) { return "a"; });
  EXPECT_THROW(app.add_url_rule("/again", "home", [](const Request&) { return "b"; }),
               std::invalid_argument);
  EXPECT_THROW(app.add_url_rule("/<bad", "bad", [](const Request&) { return "c"; }),
               std::invalid_argument);
  EXPECT_THROW(app.add_url_rule("/x", "", [](const Request&) { return "d"; }),
               std::invalid_argument);
  EXPECT_EQ(app.url_map.iter_rules().size(), 1u);
  EXPECT_EQ(app.view_functions.size(), 1u);
}

TEST(Flask, AStdExceptionIsLoggedAsAPythonException) {
  Flask app("app", trace::Emitter());
  app.add_url_rule("/", "home",
                   [](const Request&) -> ViewReturn { throw std::runtime_error("disk full"); });
  const auto result = run(app, "GET", "/");
  EXPECT_EQ(result.status, "500 INTERNAL SERVER ERROR");
  EXPECT_TRUE(result.errors.ends_with("\nException: disk full\n")) << result.errors;
}

TEST(Flask, ARuleWithoutAViewIsAKeyErrorAnd500) {
  Flask app("app", trace::Emitter());
  app.add_url_rule("/", "home", nullptr);
  const auto result = run(app, "GET", "/");
  EXPECT_EQ(result.status, "500 INTERNAL SERVER ERROR");
  EXPECT_TRUE(result.errors.ends_with("\nKeyError: 'home'\n")) << result.errors;
}

TEST(Flask, LongBodiesArePreviewedUpTo1KiB) {
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  Flask app("app", trace::Emitter(&recorder, trace::Actor::App, "app"));
  app.add_url_rule("/big", "big", [](const Request&) { return std::string(3000, 'x'); });
  events.clear();
  EXPECT_EQ(run(app, "GET", "/big").body.size(), 3000u);
  const auto returned = nlohmann::json::parse(events.events().at(7).data);
  EXPECT_EQ(returned["returned"].get<std::string>().size(), 1024u);
  EXPECT_EQ(returned["length"], 3000);
  EXPECT_EQ(returned["truncated"], true);
}

TEST(Flask, AddUrlRuleIsAnEventPerRouteAtStartup) {
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  Flask app("app", trace::Emitter(&recorder, trace::Actor::App, "app"));
  app.add_url_rule("/post/<int:post_id>", "post", [](const Request&) { return ""; });
  app.add_url_rule("/form", "form", View(), {"POST"});
  const auto& all = events.events();
  ASSERT_EQ(all.size(), 2u);
  for (const auto& event : all) {
    EXPECT_EQ(event.phase, trace::Phase::AddUrlRule);
    EXPECT_EQ(event.req, 0);  // before any request
    EXPECT_EQ(event.level, trace::kFrameworkInternals);
    EXPECT_TRUE(event.vars.empty());
  }
  // flask/scaffold.py route -> flask/app.py add_url_rule -> Rule(...) -> werkzeug Map.add.
  EXPECT_EQ(all[0].msg,
            "@app.route('/post/<int:post_id>') -> add_url_rule: Rule('/post/<int:post_id>', "
            "endpoint='post', methods={'GET', 'HEAD', 'OPTIONS'}) -> url_map.add(rule); "
            "view_functions['post'] = post");
  const auto data = nlohmann::json::parse(all[0].data);
  EXPECT_EQ(data["arguments"], nlohmann::json({"post_id"}));
  EXPECT_EQ(data["provide_automatic_options"], true);
  EXPECT_EQ(all[1].msg,
            "app.add_url_rule('/form'): Rule('/form', endpoint='form', methods={'OPTIONS', "
            "'POST'}) -> url_map.add(rule)");
}

// Each hook notes how many events had been emitted when it ran.
TEST(Flask, HooksRunInsideTheirStepsInFlasksOrder) {
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  Flask app("app", trace::Emitter(&recorder, trace::Actor::App, "app"));
  app.add_url_rule("/", "home", [](const Request&) { return "home"; });
  events.clear();
  std::vector<std::pair<std::string, std::uint64_t>> ran;
  const auto note = [&](const std::string& name) { ran.emplace_back(name, recorder.emitted()); };
  app.before_request([&](const Request&) -> std::optional<ViewReturn> {
    note("before 1");
    return std::nullopt;
  });
  app.before_request([&](const Request&) -> std::optional<ViewReturn> {
    note("before 2");
    return std::nullopt;
  });
  app.after_request([&](Response response) {
    note("after 1");
    return response;
  });
  app.after_request([&](Response response) {
    note("after 2");
    response.set_header("X-After", "2");
    return response;
  });
  app.teardown_request([&](const std::exception_ptr& error) {
    note(error ? "teardown 1 with an error" : "teardown 1");
  });
  app.teardown_request([&](const std::exception_ptr&) { note("teardown 2"); });
  const auto result = run(app, "GET", "/");
  EXPECT_EQ(result.header("X-After"), "2");
  // Events: 0 add_url_rule, then 1 call, 2 push_context, 3 match, 4 full_dispatch,
  // 5 preprocess, 6 dispatch, 7 view, 8 view_return, 9 make_response, 10 process_response,
  // 11 teardown, 12 close. Each hook runs right after its step's event: before_request in the
  // order registered, after_request and teardown_request newest first.
  const std::vector<std::pair<std::string, std::uint64_t>> expected = {
      {"before 1", 6}, {"before 2", 6},    {"after 2", 11},
      {"after 1", 11}, {"teardown 2", 12}, {"teardown 1", 12}};
  EXPECT_EQ(ran, expected);
  const auto& all = events.events();
  EXPECT_EQ(nlohmann::json::parse(all[4].data)["before_request_funcs"], 2);
  EXPECT_EQ(nlohmann::json::parse(all[9].data)["after_request_funcs"], 2);
  EXPECT_EQ(nlohmann::json::parse(all[10].data)["teardown_request_funcs"], 2);
}

TEST(Flask, ABeforeRequestValueAnswersInsteadOfTheView) {
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  Flask app("app", trace::Emitter(&recorder, trace::Actor::App, "app"));
  bool view_ran = false;
  app.add_url_rule("/", "home", [&](const Request&) {
    view_ran = true;
    return "home";
  });
  app.before_request([](const Request&) -> std::optional<ViewReturn> { return "stopped"; });
  events.clear();
  EXPECT_EQ(run(app, "GET", "/").body, "stopped");
  EXPECT_FALSE(view_ran);
  EXPECT_EQ(events.phases(), (std::vector<std::string>{
                                 "call", "push_context", "match", "full_dispatch", "preprocess",
                                 "make_response", "process_response", "teardown", "close"}));
}

TEST(Flask, OnlyTheFirstRequestRunsBeforeFirstRequest) {
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  Flask app("app", trace::Emitter(&recorder, trace::Actor::App, "app"));
  app.add_url_rule("/", "home", [](const Request&) { return "home"; });
  run(app, "GET", "/");
  run(app, "GET", "/");
  std::vector<bool> first;
  for (const auto& event : events.events())
    if (event.phase == trace::Phase::FullDispatch)
      first.push_back(nlohmann::json::parse(event.data)["first_request"].get<bool>());
  EXPECT_EQ(first, (std::vector<bool>{true, false}));
}

TEST(Flask, AppStateFollowsTheStepsAndKeepsTheViewToTheEnd) {
  trace::Recorder recorder;
  CollectedEvents events(recorder);
  Flask app("app", trace::Emitter(&recorder, trace::Actor::App, "app"));
  app.add_url_rule("/", "home", [](const Request&) { return "home"; });
  app.wrap_wsgi_app("timing");
  events.clear();
  run(app, "GET", "/");
  std::vector<std::string> states;
  for (const auto& event : events.events())
    if (auto state = event.var("app.state")) states.emplace_back(*state);
  // Nothing after the view changes it, so a coarser level, which folds these events into
  // "Server calls the app", still reads "Running home() route" there.
  EXPECT_EQ(states,
            (std::vector<std::string>{"Flask.__call__ running", "timing middleware running",
                                      "Pushing the request context", "Matching the URL",
                                      "full_dispatch_request running", "preprocess_request running",
                                      "dispatch_request running", "Running home() route", "Idle"}));
}

}  // namespace
}  // namespace reqtrace::flask
