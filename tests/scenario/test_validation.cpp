// Documents that parse but break the format: every problem, each at its file:line:col and pointer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scenario/load.hpp"
#include "support/scenario_problems.hpp"

namespace reqtrace::scenario {
namespace {

using Strings = std::vector<std::string>;
using nlohmann::json;

Strings problems(const std::string& text) {
  return testing::problem_lines(load_text(text, "s.json"));
}

// A valid scenario with `edit` applied, checked without positions: for rules where the place
// in the file is not the point.
Strings problems_after(const std::function<void(json&)>& edit) {
  json document = json::parse(R"({
    "id": "base", "title": "Base",
    "app": {"routes": [{"rule": "/user/<name>", "endpoint": "user",
                        "returns": {"body": "Hi {name}"}}]},
    "requests": [{"path": "/user/ada"}, {"path": "/"}],
    "track": [{"var": "server.state"}, {"var": "app.state"}]
  })");
  edit(document);
  return testing::problem_lines(load_json(document, "s.json"));
}

const std::string kTopKeys =
    "id, title, summary, topology, app, requests, track, narration, quizzes, key_moments, snapshot";

TEST(Validation, TheBaseIsValid) {
  EXPECT_EQ(problems_after([](json&) {}), Strings{});
}

TEST(Validation, UnknownKeyIsATypo) {
  EXPECT_EQ(problems(R"({
  "id": "x",
  "titel": "Typo",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}]
})"),
            (Strings{"s.json:1:1: missing required key \"title\"",
                     "s.json:3:3: /titel: unknown key \"titel\"; expected one of: " + kTopKeys}));
}

TEST(Validation, UnknownKeysInNestedObjects) {
  EXPECT_EQ(
      problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home", "method": ["GET"],
                      "returns": {"bdy": "x"}}]},
  "requests": [{"path": "/", "hedaers": {}}]
})"),
      (Strings{"s.json:2:56: /app/routes/0/method: unknown key \"method\"; expected one of: "
               "rule, endpoint, methods, strict_slashes, returns",
               "s.json:3:35: /app/routes/0/returns/bdy: unknown key \"bdy\"; expected one of: "
               "body, status, headers, content_type, delay_ms, raise, echo, stream",
               "s.json:4:30: /requests/0/hedaers: unknown key \"hedaers\"; expected one of: "
               "method, path, headers, body, form, clients, subresources"}));
}

TEST(Validation, UnderscoreAndDollarKeysAreIgnoredEverywhere) {
  EXPECT_EQ(problems(R"({"$schema": "s", "_note": 1, "id": "x", "title": "T",
  "topology": {"_": 1, "server": {"$comment": "c"}},
  "app": {"_": 1, "routes": [{"_why": 1, "rule": "/", "endpoint": "home", "returns": {"_": 1}}]},
  "requests": [{"_": 1, "path": "/"}],
  "track": [{"_": 1, "var": "a.b"}],
  "narration": {"_todo": "later"},
  "quizzes": [{"_": 1, "id": "q", "kind": "predict", "question": "?", "at": {"_": 1, "phase": "call"}}],
  "key_moments": [{"_": 1, "at": {"phase": "call"}, "title": "t"}]
})"),
            Strings{});
}

TEST(Validation, MethodNotInTheList) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [
    {"rule": "/", "endpoint": "a"},
    {"rule": "/b", "endpoint": "b"},
    {"rule": "/c", "endpoint": "c", "methods": ["FETCH", "GET", "GET"]}
  ]},
  "requests": [{"path": "/"}]
})"),
            (Strings{"s.json:5:49: /app/routes/2/methods/0: expected one of GET, POST, PUT, PATCH, "
                     "DELETE, HEAD, OPTIONS, got \"FETCH\""}));
  EXPECT_EQ(problems_after([](json& d) {
              d["app"]["routes"][0]["methods"] = {"GET", "GET"};
            }),
            Strings{"s.json: /app/routes/0/methods/1: method \"GET\" is listed twice"});
  EXPECT_EQ(
      problems_after([](json& d) { d["app"]["routes"][0]["methods"] = json::array(); }),
      Strings{"s.json: /app/routes/0/methods: expected at least one method, got an empty array"});
}

TEST(Validation, MissingKeyIsReportedAtTheObjectThatLacksIt) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [
    {"rule": "/"}
  ]},
  "requests": [{"path": "/"}]
})"),
            Strings{"s.json:3:5: /app/routes/0: missing required key \"endpoint\""});
  EXPECT_EQ(problems("{}"), (Strings{"s.json:1:1: missing required key \"id\"",
                                     "s.json:1:1: missing required key \"title\"",
                                     "s.json:1:1: missing required key \"app\"",
                                     "s.json:1:1: missing required key \"requests\""}));
}

TEST(Validation, WrongTypes) {
  EXPECT_EQ(
      problems(R"({"id": "x", "title": 5, "summary": ["a"],
  "app": {"routes": {}},
  "requests": [{"path": "/", "headers": []}],
  "topology": {"server": {"keep_alive": "yes", "workers": "4"}, "middleware": "ProxyFix"},
  "snapshot": ["ok", 2]
})"),
      (Strings{"s.json:1:22: /title: expected a string, got 5",
               "s.json:1:36: /summary: expected a string, got an array",
               "s.json:2:21: /app/routes: expected an array, got an empty object",
               "s.json:3:41: /requests/0/headers: expected an object, got an empty array",
               "s.json:4:41: /topology/server/keep_alive: expected true or false, got \"yes\"",
               ("s.json:4:59: /topology/server/workers: expected an integer from 1 to 64, got "
                "\"4\""),
               "s.json:4:79: /topology/middleware: expected an array, got \"ProxyFix\"",
               "s.json:5:22: /snapshot/1: expected a string, got 2"}));
}

TEST(Validation, Topology) {
  auto with_server = [](json server) {
    return problems_after([&](json& d) { d["topology"] = {{"server", server}}; });
  };
  EXPECT_EQ(with_server({{"workers", 0}}),
            Strings{"s.json: /topology/server/workers: expected an integer from 1 to 64, got 0"});
  EXPECT_EQ(with_server({{"workers", 65}}),
            Strings{"s.json: /topology/server/workers: expected an integer from 1 to 64, got 65"});
  EXPECT_EQ(with_server({{"workers", 2.5}}),
            Strings{"s.json: /topology/server/workers: expected an integer from 1 to 64, got 2.5"});
  EXPECT_EQ(with_server({{"workers", 18446744073709551615u}}),
            Strings{"s.json: /topology/server/workers: expected an integer from 1 to 64, got "
                    "18446744073709551615"});
  EXPECT_EQ(with_server({{"max_body_bytes", -1}}),
            Strings{"s.json: /topology/server/max_body_bytes: expected an integer of at least 0, "
                    "got -1"});
  EXPECT_EQ(with_server({{"read_timeout_ms", 0}}),
            Strings{"s.json: /topology/server/read_timeout_ms: expected an integer from 1 to "
                    "600000, got 0"});
  EXPECT_EQ(with_server({{"model", "forked"}}),
            Strings{"s.json: /topology/server/model: expected one of dev, dev-threaded, threaded, "
                    "prefork, fork-per-request, cgi, got \"forked\""});
  EXPECT_EQ(with_server({{"model", "fork-per-request"}, {"workers", 2}, {"max_body_bytes", 0}}),
            Strings{});
}

// A model may not claim what its real server cannot do.
TEST(Validation, ServerFieldsTheRealServerHas) {
  auto with_server = [](json server) {
    return problems_after([&](json& d) { d["topology"] = {{"server", server}}; });
  };
  EXPECT_EQ(with_server({{"model", "threaded"}, {"keep_alive", true}}), Strings{});
  EXPECT_EQ(with_server({{"model", "prefork"}, {"keep_alive", false}}), Strings{});
  EXPECT_EQ(with_server({{"keep_alive", true}}),
            Strings{"s.json: /topology/server/keep_alive: only model \"threaded\" can keep a "
                    "connection open (gunicorn's gthread keepalive); \"dev\" closes after each "
                    "response, as its real server does"});
  EXPECT_EQ(with_server({{"model", "prefork"}, {"keep_alive", true}}).size(), 1u);
  EXPECT_EQ(with_server({{"model", "dev-threaded"}, {"keep_alive", true}}).size(), 1u);
  // gunicorn's timeout and preload_app: only its arbiter has workers to watch and fork.
  EXPECT_EQ(with_server({{"model", "prefork"}, {"timeout_ms", 0}, {"preload", true}}), Strings{});
  EXPECT_EQ(with_server({{"model", "threaded"}, {"timeout_ms", 500}}), Strings{});
  EXPECT_EQ(with_server({{"model", "dev"}, {"timeout_ms", 500}}),
            Strings{"s.json: /topology/server/timeout_ms: only models \"prefork\" and "
                    "\"threaded\" (gunicorn's arbiter) take \"timeout_ms\"; \"dev\" has no "
                    "arbiter watching worker processes"});
  EXPECT_EQ(with_server({{"model", "fork-per-request"}, {"workers", 2}, {"preload", true}}).size(),
            1u);
  EXPECT_EQ(with_server({{"model", "prefork"}, {"timeout_ms", -1}}),
            Strings{"s.json: /topology/server/timeout_ms: expected an integer from 0 to 3600000, "
                    "got -1"});
  EXPECT_EQ(with_server({{"model", "fork-per-request"}}),
            Strings{"s.json: /topology/server: fork-per-request needs \"workers\", at least 2: it "
                    "is Werkzeug's processes=N, the most children alive at once (make_server "
                    "forks only when processes > 1)"});
  EXPECT_EQ(with_server({{"model", "fork-per-request"}, {"workers", 1}}),
            Strings{"s.json: /topology/server/workers: fork-per-request needs at least 2 workers "
                    "(Werkzeug's processes): with processes=1 make_server gives the "
                    "one-at-a-time server, model \"dev\""});
  EXPECT_EQ(with_server({{"model", "dev"}, {"workers", 4}}).size(), 1u);
  EXPECT_EQ(with_server({{"model", "dev-threaded"}, {"workers", 4}}).size(), 1u);
  EXPECT_EQ(problems_after([](json& d) {
              d["topology"] = {{"proxy", "nginx"}};
            }),
            Strings{"s.json: /topology/proxy: expected null or an object, got \"nginx\""});
  EXPECT_EQ(problems_after([](json& d) { d["topology"] = 1; }),
            Strings{"s.json: /topology: expected an object, got 1"});
}

TEST(Validation, IdSyntax) {
  EXPECT_EQ(problems(R"({"id": "Hello World", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "a"}]},
  "requests": [{"path": "/"}]
})"),
            (Strings{"s.json:1:8: /id: expected an id of lowercase letters, digits and \"-\", got "
                     "\"Hello World\""}));
}

// The rule syntax is the app's: the loader only asks a RuleReader (the app's parser, given by
// topology/load_scenario; here a stand-in) and reports what it says at the rule.
TEST(Validation, RulesAreReadByTheGivenReader) {
  const std::string text = R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/<v>", "endpoint": "a", "returns": {"body": "{v} {w}"}},
                     {"rule": "/bad", "endpoint": "b", "returns": {"body": "{v}"}}]},
  "requests": [{"path": "/"}]
})";
  const RuleReader reader = [](const std::string& rule) {
    if (rule == "/bad") return RuleReading{{}, {"the reader refuses it", "and says why twice"}};
    return RuleReading{{"v"}, {}};
  };
  // A refused rule's placeholders are not checked: the one mistake is reported once.
  EXPECT_EQ(testing::problem_lines(load_text(text, "s.json", reader)),
            (Strings{"s.json:2:76: /app/routes/0/returns/body: \"{w}\" names no variable of "
                     "rule /<v>; expected one of: v",
                     "s.json:3:31: /app/routes/1/rule: the reader refuses it",
                     "s.json:3:31: /app/routes/1/rule: and says why twice"}));
  // Without a reader only the shape is checked: rules are strings, placeholders unmatched.
  EXPECT_TRUE(load_text(text, "s.json"));
}

TEST(Validation, EndpointsAreIdentifiersAndUnique) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"},
                     {"rule": "/a", "endpoint": "home"},
                     {"rule": "/b", "endpoint": "my-view"}]},
  "requests": [{"path": "/"}]
})"),
            (Strings{"s.json:3:49: /app/routes/1/endpoint: duplicate endpoint \"home\"; "
                     "/app/routes/0 already has it",
                     "s.json:4:49: /app/routes/2/endpoint: expected an identifier (letters, digits "
                     "and _, not starting with a digit), got \"my-view\""}));
}

TEST(Validation, Returns) {
  auto with_returns = [](json returns) {
    return problems_after([&](json& d) { d["app"]["routes"][0]["returns"] = returns; });
  };
  EXPECT_EQ(
      with_returns({{"status", 99}}),
      Strings{"s.json: /app/routes/0/returns/status: expected an integer from 100 to 599, got 99"});
  EXPECT_EQ(with_returns({{"delay_ms", 60001}}),
            Strings{"s.json: /app/routes/0/returns/delay_ms: expected an integer from 0 to 60000, "
                    "got 60001"});
  EXPECT_EQ(with_returns({{"raise", "not found"}}),
            Strings{"s.json: /app/routes/0/returns/raise: expected an identifier (letters, digits "
                    "and _, not starting with a digit), got \"not found\""});
  EXPECT_EQ(
      with_returns({{"echo", ""}}),
      Strings{"s.json: /app/routes/0/returns/echo: expected the name of a form field, got \"\""});
  EXPECT_EQ(with_returns({{"stream", {"a", 1}}}),
            Strings{"s.json: /app/routes/0/returns/stream/1: expected a string, got 1"});
  EXPECT_EQ(with_returns({{"content_type", "text/plain\r\nX: y"}}),
            Strings{"s.json: /app/routes/0/returns/content_type: expected a header value on one "
                    "line, without CR or LF"});
  EXPECT_EQ(with_returns({{"headers", {{"X Bad", "v"}, {"X-Ok", "a\nb"}, {"X-Num", 1}}}}),
            (Strings{"s.json: /app/routes/0/returns/headers/X Bad: expected a header name made of "
                     "letters, digits and !#$%&'*+-.^_`|~, got \"X Bad\"",
                     "s.json: /app/routes/0/returns/headers/X-Num: expected a string, got 1",
                     "s.json: /app/routes/0/returns/headers/X-Ok: expected a header value on one "
                     "line, without CR or LF"}));
}

TEST(Validation, HeaderNameIsReportedAtTheKey) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/", "headers": {"Host": "a",
                                         "Bad:Name": "b"}}]
})"),
            Strings{"s.json:4:42: /requests/0/headers/Bad:Name: expected a header name made of "
                    "letters, digits and !#$%&'*+-.^_`|~, got \"Bad:Name\""});
}

TEST(Validation, Requests) {
  EXPECT_EQ(problems_after([](json& d) { d["requests"] = json::array(); }),
            Strings{"s.json: /requests: expected at least one request, got an empty array"});
  EXPECT_EQ(problems_after([](json& d) { d["requests"][0] = json::object(); }),
            Strings{"s.json: /requests/0: missing required key \"path\""});
  EXPECT_EQ(problems_after([](json& d) { d["requests"][0]["path"] = "user"; }),
            Strings{"s.json: /requests/0/path: expected a path starting with \"/\", got \"user\""});
  EXPECT_EQ(problems_after([](json& d) { d["requests"][0]["method"] = "get"; }),
            Strings{"s.json: /requests/0/method: expected an uppercase method name like \"GET\", "
                    "got \"get\""});
  EXPECT_EQ(problems_after([](json& d) { d["requests"][0]["method"] = "M-SEARCH"; }), Strings{});
  EXPECT_EQ(problems_after([](json& d) {
              d["requests"][0]["form"] = {{"a", 1}};
            }),
            Strings{"s.json: /requests/0/form/a: expected a string, got 1"});
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/", "body": "a=1", "form": {"a": "1"}}]
})"),
            Strings{"s.json:3:45: /requests/0/form: \"body\" and \"form\" exclude each other: the "
                    "form is sent as the body"});
}

TEST(Validation, Track) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}],
  "track": [{"var": "server.state"}, {"var": "Server State"}, {"label": "no var"},
            {"var": "server.state", "start": 0}]
})"),
            (Strings{"s.json:4:46: /track/1/var: expected lowercase names joined by dots, like "
                     "\"server.state\", got \"Server State\"",
                     "s.json:4:63: /track/2: missing required key \"var\"",
                     "s.json:5:21: /track/3/var: duplicate var \"server.state\"; /track/0 already "
                     "tracks it",
                     "s.json:5:46: /track/3/start: expected a string, got 0"}));
  EXPECT_EQ(problems_after([](json& d) {
              d["track"] = {{{"var", "state"}}};
            }),
            Strings{"s.json: /track/0/var: expected lowercase names joined by dots, like "
                    "\"server.state\", got \"state\""});
}

TEST(Validation, NarrationKeysArePhases) {
  std::string phases =
      "connect, send, receive, accept, static_hit, forward, upstream_response, listening, "
      "request_line, headers, request_received, environ_built, calling_app, start_response, "
      "response_ready, sending, sent, idle, error, fork, boot, busy, exit, add_url_rule, call, "
      "middleware, push_context, match, full_dispatch, preprocess, dispatch, view, view_return, "
      "make_response, process_response, teardown, close, gil_wait, wsgi_errors, continue";
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}],
  "narration": {"calling_app": "ok", "calling-app": "typo", "sent": 1}
})"),
            (Strings{"s.json:4:38: /narration/calling-app: unknown phase \"calling-app\"; expected "
                     "one of: " +
                         phases,
                     "s.json:4:69: /narration/sent: expected a text, or an object whose keys "
                     "are an actor (client, proxy, server, worker, app), a status class (1xx to "
                     "5xx) or \"other\", got 1"}));
}

// A phase may be narrated by who acts and by how the request ends; each wrong key is named.
TEST(Validation, NarrationByActorAndStatus) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}],
  "narration": {"error": {"server": "refused", "app": {"5xx": "raised", "other": "-"}},
                "receive": {"2xx": "ok", "other": "not ok"}}
})"),
            Strings{});
  EXPECT_EQ(
      problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}],
  "narration": {"error": {"sever": "typo", "app": {"500": "no"}, "client": 2},
                "sent": {}, "idle": {"proxy": {}}}
})"),
      (Strings{("s.json:4:27: /narration/error/sever: expected an actor (client, proxy, server, "
                "worker, app), a status class (1xx to 5xx) or \"other\", got \"sever\""),
               ("s.json:4:52: /narration/error/app/500: expected a status class (1xx to 5xx) or "
                "\"other\", got \"500\""),
               ("s.json:4:76: /narration/error/client: expected a text, or an object whose keys "
                "are a status class (1xx to 5xx) or \"other\", got 2"),
               ("s.json:5:25: /narration/sent: expected at least one text, keyed by an actor "
                "(client, proxy, server, worker, app), a status class (1xx to 5xx) or \"other\""),
               ("s.json:5:47: /narration/idle/proxy: expected at least one text, keyed by a "
                "status class (1xx to 5xx) or \"other\"")}));
}

TEST(Validation, Quizzes) {
  auto with_quiz = [](json quiz) {
    return problems_after([&](json& d) { d["quizzes"] = json::array({quiz}); });
  };
  json choice = {{"id", "q"},       {"kind", "choice"},      {"at", {{"phase", "view"}}},
                 {"question", "?"}, {"choices", {"a", "b"}}, {"answer", 1}};
  EXPECT_EQ(with_quiz(choice), Strings{});
  {
    json quiz = choice;
    quiz.erase("choices");
    EXPECT_EQ(with_quiz(quiz), Strings{"s.json: /quizzes/0: missing required key \"choices\""});
  }
  {
    json quiz = choice;
    quiz["choices"] = {"only"};
    EXPECT_EQ(with_quiz(quiz),
              Strings{"s.json: /quizzes/0/choices: expected at least 2 choices, got 1"});
  }
  {
    json quiz = choice;
    quiz["answer"] = 2;
    EXPECT_EQ(with_quiz(quiz),
              Strings{"s.json: /quizzes/0/answer: expected an integer from 0 to 1, got 2"});
    quiz.erase("answer");
    EXPECT_EQ(with_quiz(quiz), Strings{"s.json: /quizzes/0: missing required key \"answer\""});
  }
  {
    json quiz = choice;
    quiz["kind"] = "multi";
    EXPECT_EQ(
        with_quiz(quiz),
        Strings{"s.json: /quizzes/0/kind: expected one of choice, predict, value, got \"multi\""});
  }
  json value = {{"id", "v"},       {"kind", "value"},       {"at", {{"phase", "sent"}, {"req", 2}}},
                {"question", "?"}, {"var", "server.state"}, {"answer", "idle"}};
  EXPECT_EQ(with_quiz(value), Strings{});
  {
    json quiz = value;
    quiz["var"] = "server.stat";
    quiz["answer"] = 3;
    EXPECT_EQ(with_quiz(quiz),
              (Strings{"s.json: /quizzes/0/var: \"server.stat\" is not tracked; expected one of: "
                       "server.state, app.state",
                       "s.json: /quizzes/0/answer: expected a string, got 3"}));
    quiz.erase("var");
    quiz.erase("answer");
    EXPECT_EQ(with_quiz(quiz), (Strings{"s.json: /quizzes/0: missing required key \"var\"",
                                        "s.json: /quizzes/0: missing required key \"answer\""}));
  }
  json predict = {{"id", "p"}, {"kind", "predict"}, {"at", {{"phase", "view"}}}, {"question", "?"}};
  EXPECT_EQ(with_quiz(predict), Strings{});
  {
    json quiz = predict;
    quiz["at"] = {{"phase", "viewing"}, {"req", 3}};
    Strings got = with_quiz(quiz);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].substr(0, 71),
              "s.json: /quizzes/0/at/phase: unknown phase \"viewing\"; expected one of: ");
    EXPECT_EQ(got[1],
              "s.json: /quizzes/0/at/req: expected a request number from 1 to 2 (the "
              "scenario sends 2 requests), got 3");
    quiz["at"] = {{"req", 0}};
    EXPECT_EQ(with_quiz(quiz),
              (Strings{"s.json: /quizzes/0/at: missing required key \"phase\"",
                       "s.json: /quizzes/0/at/req: expected a request number from 1 to 2 (the "
                       "scenario sends 2 requests), got 0"}));
    quiz.erase("at");
    EXPECT_EQ(with_quiz(quiz), Strings{"s.json: /quizzes/0: missing required key \"at\""});
  }
  EXPECT_EQ(problems_after([&](json& d) {
              d["quizzes"] = {predict, predict};
            }),
            Strings{"s.json: /quizzes/1/id: duplicate quiz id \"p\"; /quizzes/0 has it"});
}

TEST(Validation, QuizAtReqCountsTheRequestsInTheFile) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}],
  "quizzes": [{"id": "q", "kind": "predict", "question": "?",
               "at": {"phase": "sent", "req": 2}}]
})"),
            Strings{"s.json:5:47: /quizzes/0/at/req: expected a request number from 1 to 1 (the "
                    "scenario sends 1 request), got 2"});
}

TEST(Validation, KeyMoments) {
  EXPECT_EQ(problems_after([](json& d) {
              d["key_moments"] = {{{"title", "t"}}};
            }),
            Strings{"s.json: /key_moments/0: missing required key \"at\""});
  EXPECT_EQ(problems_after([](json& d) {
              d["key_moments"] = {{{"at", {{"phase", "boot"}, {"req", 2}}}, {"text", 1}}};
            }),
            (Strings{"s.json: /key_moments/0: missing required key \"title\"",
                     "s.json: /key_moments/0/text: expected a string, got 1"}));
  EXPECT_EQ(problems_after([](json& d) { d["key_moments"] = {1}; }),
            Strings{"s.json: /key_moments/0: expected an object, got 1"});
}

TEST(Validation, EveryProblemInTheFileInOrder) {
  EXPECT_EQ(problems(R"(// Four mistakes, reported top to bottom whatever order they are read in.
{
  "requests": [{"method": "get", "path": "/"}],
  "id": "many",
  "title": "Many",
  "app": {"routes": [{"rule": "/", "endpoint": "home", "returns": {"status": 700}}]},
  "track": [{"var": "x"}],
  "topology": {"server": {"workers": 0}}
}
)"),
            (Strings{"s.json:3:27: /requests/0/method: expected an uppercase method name like "
                     "\"GET\", got \"get\"",
                     "s.json:6:78: /app/routes/0/returns/status: expected an integer from 100 to "
                     "599, got 700",
                     "s.json:7:21: /track/0/var: expected lowercase names joined by dots, like "
                     "\"server.state\", got \"x\"",
                     "s.json:8:38: /topology/server/workers: expected an integer from 1 to 64, got "
                     "0"}));
}

TEST(Validation, PositionsSurviveCommentsAndEscapedKeys) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T", /* "requests": [] */
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  // "requests": [{"path": "no"}],
  "requests": [{"path": "/", "form": {"a/b~c": 1}}]
})"),
            Strings{"s.json:4:48: /requests/0/form/a~1b~0c: expected a string, got 1"});
}

TEST(Validation, MiddlewareMustBeOneTheAppCanBuild) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "topology": {"middleware": ["proxy_fix", "ProxyFix"]},
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}]
})"),
            Strings{"s.json:2:44: /topology/middleware/1: unknown middleware \"ProxyFix\"; "
                    "expected one of: proxy_fix, timing"});
}

TEST(Validation, HeaderTimeoutIsBounded) {
  EXPECT_EQ(problems(R"({"id": "x", "title": "T",
  "topology": {"server": {"header_timeout_ms": 0}},
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}]
})"),
            Strings{"s.json:2:48: /topology/server/header_timeout_ms: expected an integer from 1 "
                    "to 600000, got 0"});
}

}  // namespace
}  // namespace reqtrace::scenario
