// Whole scenarios: read into the model with their defaults, from text, a file or a document.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "scenario/load.hpp"

namespace reqtrace::scenario {
namespace {

using Strings = std::vector<std::string>;
using nlohmann::json;

// Every section and almost every key, with comments where a person would write them.
const std::string kFull = R"(// A scenario with every section.
{
  "$schema": "../docs/scenario.schema.json",
  "_comment": "keys starting with _ or $ are ignored",
  "id": "full-tour",
  "title": "Full tour",
  "summary": "Every section once.",
  /* The stack: nginx in front, a gthread server behind it. */
  "topology": {
    "proxy": {"static_root": "site", "upstream": "uwsgi", "upstream_timeout_ms": 3000},
    "server": {"model": "threaded", "workers": 4, "max_body_bytes": 2048,
               "read_timeout_ms": 1000, "keep_alive": true, "_why": "to show reuse"},
    "middleware": ["proxy_fix", "timing"]
  },
  "app": {"routes": [
    {"rule": "/", "endpoint": "home", "returns": {"body": "Hello from Flask!"}},
    {"rule": "/user/<name>", "endpoint": "user", "methods": ["GET", "HEAD"],
     "strict_slashes": false,
     "returns": {"body": "Hello, {name}!", "status": 201, "headers": {"X-Trace": "on"},
                 "content_type": "text/plain", "delay_ms": 250}},
    {"rule": "/post/<int:post_id>/<any(a, b):part>", "endpoint": "post",
     "returns": {"raise": "ValueError"}},
    {"rule": "/echo", "endpoint": "echo", "methods": ["POST"],
     "returns": {"echo": "msg", "body": "You said {msg} {not a placeholder}", "stream": ["a", "b"]}}
  ]},
  "requests": [
    {"path": "/"},
    {"method": "POST", "path": "/echo", "headers": {"Host": "example.com"}, "form": {"msg": "hi"}},
    {"method": "PUT", "path": "/user/ada?x=1", "body": "raw"}  // refused: 405
  ],
  "track": [
    {"var": "server.state", "label": "WSGI Server State"},
    {"var": "app.state", "label": "Flask App State", "start": "idle"},
    {"var": "response.sent"}
  ],
  "narration": {"calling_app": "The server is the waiter; the app is the kitchen.",
                "_todo": "more"},
  "quizzes": [
    {"id": "q1", "kind": "choice", "at": {"phase": "response_ready", "req": 2},
     "question": "Who builds the response?", "choices": ["server", "app", "client"],
     "answer": 1, "hint": "Not the server.", "explanation": "The view returns it."},
    {"id": "q2", "kind": "predict", "at": {"phase": "calling_app"}, "question": "What next?"},
    {"id": "q3", "kind": "value", "at": {"phase": "sent", "req": 3}, "question": "State?",
     "var": "server.state", "answer": "idle"}
  ],
  "key_moments": [{"at": {"phase": "calling_app"}, "title": "The call",
                   "text": "environ in, an iterable out"}],
  "snapshot": ["A server speaks HTTP.", "An app speaks WSGI."]
}
)";

const std::string kMinimal = R"({
  "id": "min",
  "title": "Minimal",
  "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
  "requests": [{"path": "/"}]
})";

std::string to_strings(const Loaded& loaded) {
  std::string out;
  for (const Problem& problem : loaded.problems) out += problem.to_string() + "\n";
  return out;
}

TEST(Load, FullScenarioIntoTheModel) {
  Loaded loaded = load_text(kFull, "full.json");
  ASSERT_TRUE(loaded) << to_strings(loaded);
  EXPECT_TRUE(loaded.problems.empty());
  const Scenario& s = *loaded.scenario;

  EXPECT_EQ(s.id, "full-tour");
  EXPECT_EQ(s.title, "Full tour");
  EXPECT_EQ(s.summary, "Every section once.");

  ASSERT_TRUE(s.topology.proxy.has_value());
  EXPECT_EQ(s.topology.proxy->static_root, "site");
  EXPECT_EQ(s.topology.proxy->static_prefix, "/static/");
  EXPECT_EQ(s.topology.proxy->upstream, UpstreamProtocol::Uwsgi);
  EXPECT_EQ(s.topology.proxy->upstream_timeout_ms, 3000);
  EXPECT_EQ(s.topology.proxy->connect_timeout_ms, 60000);
  EXPECT_EQ(s.topology.server.model, ServerModel::Threaded);
  EXPECT_EQ(s.topology.server.workers, 4);
  EXPECT_EQ(s.topology.server.max_body_bytes, 2048u);
  EXPECT_EQ(s.topology.server.read_timeout_ms, 1000);
  EXPECT_TRUE(s.topology.server.keep_alive);
  EXPECT_EQ(s.topology.middleware, (Strings{"proxy_fix", "timing"}));

  ASSERT_EQ(s.routes.size(), 4u);
  EXPECT_EQ(s.routes[0].rule, "/");
  EXPECT_EQ(s.routes[0].endpoint, "home");
  EXPECT_EQ(s.routes[0].methods, Strings{"GET"});
  EXPECT_TRUE(s.routes[0].strict_slashes);
  EXPECT_EQ(s.routes[0].returns.body, "Hello from Flask!");
  const Route& user = s.routes[1];
  EXPECT_EQ(user.methods, (Strings{"GET", "HEAD"}));
  EXPECT_FALSE(user.strict_slashes);
  EXPECT_EQ(user.returns.body, "Hello, {name}!");
  EXPECT_EQ(user.returns.status, 201);
  EXPECT_EQ(user.returns.headers, (HeaderList{{"X-Trace", "on"}}));
  EXPECT_EQ(user.returns.content_type, "text/plain");
  EXPECT_EQ(user.returns.delay_ms, 250);
  EXPECT_EQ(s.routes[2].returns.raise, "ValueError");
  EXPECT_EQ(s.routes[3].returns.echo, "msg");
  EXPECT_EQ(s.routes[3].returns.stream, (Strings{"a", "b"}));

  ASSERT_EQ(s.requests.size(), 3u);
  EXPECT_EQ(s.requests[0].method, "GET");
  EXPECT_EQ(s.requests[0].path, "/");
  EXPECT_EQ(s.requests[1].method, "POST");
  EXPECT_EQ(s.requests[1].headers, (HeaderList{{"Host", "example.com"}}));
  EXPECT_EQ(s.requests[1].form, (std::map<std::string, std::string>{{"msg", "hi"}}));
  EXPECT_EQ(s.requests[2].path, "/user/ada?x=1");
  EXPECT_EQ(s.requests[2].body, "raw");

  ASSERT_EQ(s.track.size(), 3u);
  EXPECT_EQ(s.track[0].var, "server.state");
  EXPECT_EQ(s.track[0].label, "WSGI Server State");
  EXPECT_EQ(s.track[0].start, "—");
  EXPECT_EQ(s.track[1].start, "idle");
  EXPECT_EQ(s.track[2].label, "response.sent");  // the var, when there is no label

  ASSERT_EQ(s.narration.size(), 1u);
  EXPECT_EQ(s.narration.at("calling_app").any.text,
            "The server is the waiter; the app is the kitchen.");
  EXPECT_TRUE(s.narration.at("calling_app").any.by_status.empty());
  EXPECT_TRUE(s.narration.at("calling_app").by_actor.empty());

  ASSERT_EQ(s.quizzes.size(), 3u);
  const Quiz& q1 = s.quizzes[0];
  EXPECT_EQ(q1.id, "q1");
  EXPECT_EQ(q1.kind, QuizKind::Choice);
  EXPECT_EQ(q1.at.phase, trace::Phase::ResponseReady);
  EXPECT_EQ(q1.at.req, 2);
  EXPECT_EQ(q1.choices, (Strings{"server", "app", "client"}));
  EXPECT_EQ(q1.answer, json(1));
  EXPECT_EQ(q1.hint, "Not the server.");
  EXPECT_EQ(q1.explanation, "The view returns it.");
  EXPECT_EQ(s.quizzes[1].at.req, 1);
  EXPECT_TRUE(s.quizzes[1].answer.is_null());
  EXPECT_EQ(s.quizzes[2].var, "server.state");
  EXPECT_EQ(s.quizzes[2].answer, json("idle"));

  ASSERT_EQ(s.key_moments.size(), 1u);
  EXPECT_EQ(s.key_moments[0].at.phase, trace::Phase::CallingApp);
  EXPECT_EQ(s.key_moments[0].title, "The call");
  EXPECT_EQ(s.key_moments[0].text, "environ in, an iterable out");
  EXPECT_EQ(s.snapshot, (Strings{"A server speaks HTTP.", "An app speaks WSGI."}));
}

TEST(Load, SourceIsTheDocumentWithoutComments) {
  Loaded loaded = load_text(kFull, "full.json");
  ASSERT_TRUE(loaded);
  const json& source = loaded.scenario->source;
  EXPECT_EQ(source, json::parse(kFull, nullptr, true, /*ignore_comments=*/true));
  EXPECT_EQ(source["_comment"], "keys starting with _ or $ are ignored");  // kept as written
}

TEST(Load, MinimalScenarioGetsTheDefaults) {
  Loaded loaded = load_text(kMinimal, "min.json");
  ASSERT_TRUE(loaded) << to_strings(loaded);
  const Scenario& s = *loaded.scenario;
  EXPECT_EQ(s.summary, "");
  EXPECT_FALSE(s.topology.proxy.has_value());
  EXPECT_EQ(s.topology.server.model, ServerModel::Dev);
  EXPECT_EQ(s.topology.server.workers, std::nullopt);  // the model's own default
  EXPECT_EQ(s.topology.server.max_body_bytes, 1048576u);
  EXPECT_EQ(s.topology.server.read_timeout_ms, 5000);
  EXPECT_FALSE(s.topology.server.keep_alive);
  EXPECT_TRUE(s.topology.middleware.empty());
  ASSERT_EQ(s.routes.size(), 1u);
  const Returns& returns = s.routes[0].returns;
  EXPECT_EQ(s.routes[0].methods, Strings{"GET"});
  EXPECT_TRUE(s.routes[0].strict_slashes);
  EXPECT_EQ(returns.body, "");
  EXPECT_EQ(returns.status, 200);
  EXPECT_TRUE(returns.headers.empty());
  EXPECT_EQ(returns.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(returns.delay_ms, 0);
  EXPECT_EQ(returns.raise, "");
  EXPECT_EQ(returns.echo, "");
  EXPECT_TRUE(returns.stream.empty());
  ASSERT_EQ(s.requests.size(), 1u);
  EXPECT_EQ(s.requests[0].method, "GET");
  EXPECT_TRUE(s.requests[0].headers.empty());
  EXPECT_TRUE(s.requests[0].form.empty());
  EXPECT_TRUE(s.track.empty());
  EXPECT_TRUE(s.narration.empty());
  EXPECT_TRUE(s.quizzes.empty());
  EXPECT_TRUE(s.key_moments.empty());
  EXPECT_TRUE(s.snapshot.empty());
}

TEST(Load, CommentsAreAllowedAnywhereWhitespaceIs) {
  Loaded loaded = load_text(R"(/* head */ { // the id
    "id" /* between */ : "c", "title": "T" /* before the comma */ ,
    "app": {"routes": [{"rule": "/", "endpoint": "home"} // last route
    ]}, "requests": [{"path": "/*not a comment*/"}] } // trailing
    /* and at the end */)",
                            "c.json");
  ASSERT_TRUE(loaded) << to_strings(loaded);
  EXPECT_EQ(loaded.scenario->requests[0].path, "/*not a comment*/");
}

TEST(Load, ProxyMayBeNull) {
  Loaded loaded = load_text(R"({"id": "p", "title": "P", "topology": {"proxy": null},
    "app": {"routes": [{"rule": "/", "endpoint": "home"}]}, "requests": [{"path": "/"}]})",
                            "p.json");
  ASSERT_TRUE(loaded) << to_strings(loaded);
  EXPECT_FALSE(loaded.scenario->topology.proxy.has_value());
}

TEST(Load, FromAParsedDocument) {
  json document = json::parse(kMinimal);
  Loaded loaded = load_json(document, "trace.json");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded.scenario->id, "min");
  EXPECT_EQ(loaded.scenario->source, document);
}

TEST(Load, FromAParsedDocumentProblemsHaveNoPosition) {
  json document = json::parse(kMinimal);
  document["routes"] = 1;
  document["app"]["routes"][0]["endpoint"] = "not an identifier";
  Loaded loaded = load_json(document, "trace.json");
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.problems.size(), 2u);
  EXPECT_EQ(loaded.problems[0].line, 0);
  EXPECT_EQ(loaded.problems[0].column, 0);
  EXPECT_EQ(loaded.problems[0].to_string(),
            "trace.json: /routes: unknown key \"routes\"; expected one of: id, title, summary, "
            "topology, app, requests, track, narration, quizzes, key_moments, snapshot");
  EXPECT_EQ(loaded.problems[1].to_string(),
            "trace.json: /app/routes/0/endpoint: expected an identifier (letters, digits and _, "
            "not starting with a digit), got \"not an identifier\"");
}

TEST(Load, NotAnObjectAtTheTopLevel) {
  Loaded loaded = load_text("// a list by mistake\n  [1, 2]\n", "list.json");
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].to_string(),
            "list.json:2:3: expected a scenario object at the top level, got an array");
  EXPECT_EQ(to_strings(load_text("\"hello\"", "s.json")),
            "s.json:1:1: expected a scenario object at the top level, got \"hello\"\n");
}

TEST(Load, HugeStringsLoadAndAreCutInMessages) {
  std::string body(2 << 20, 'x');
  json document = json::parse(kMinimal);
  document["app"]["routes"][0]["returns"]["body"] = body;
  Loaded loaded = load_text(document.dump(), "big.json");
  ASSERT_TRUE(loaded) << to_strings(loaded);
  EXPECT_EQ(loaded.scenario->routes[0].returns.body.size(), body.size());

  // Members come out sorted: "app" with the huge body first, so finding "/id" skips it.
  document["id"] = std::string(2 << 20, 'X');
  loaded = load_text(document.dump(2), "big.json");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].to_string(),
            "big.json:13:9: /id: expected an id of lowercase letters, digits and \"-\", got \"" +
                std::string(40, 'X') + "...\"");
}

TEST(Load, TruncatedFile) {
  std::string text = kFull.substr(0, kFull.find("\"requests\""));
  Loaded loaded = load_text(text, "cut.json");
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].to_string(),
            "cut.json:25:6: expected a key in double quotes, got the end of the file");
}

TEST(Load, EveryTruncationIsOneProblemWithAPosition) {
  std::size_t end = kFull.rfind('}') + 1;
  for (std::size_t size = 0; size < end; ++size) {
    Loaded loaded = load_text(kFull.substr(0, size), "cut.json");
    ASSERT_FALSE(loaded) << "cut at " << size;
    ASSERT_EQ(loaded.problems.size(), 1u) << "cut at " << size;
    EXPECT_GE(loaded.problems[0].line, 1) << "cut at " << size;
    EXPECT_GE(loaded.problems[0].column, 1) << "cut at " << size;
  }
  EXPECT_TRUE(load_text(kFull.substr(0, end), "cut.json"));
}

class LoadFile : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::path(testing::TempDir()) /
        ("scenario-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(LoadFile, ReadsAFile) {
  Loaded loaded = load_file(write("min.json", kMinimal));
  ASSERT_TRUE(loaded) << to_strings(loaded);
  EXPECT_EQ(loaded.scenario->id, "min");
}

TEST_F(LoadFile, ProblemsNameTheFile) {
  std::filesystem::path path = write("bad.json", "{\n  \"id\": \"Bad Id\"\n}\n");
  Loaded loaded = load_file(path);
  ASSERT_FALSE(loaded);
  ASSERT_FALSE(loaded.problems.empty());
  EXPECT_EQ(loaded.problems[0].file, path.string());
  EXPECT_EQ(loaded.problems[0].to_string(), path.string() + ":1:1: missing required key \"title\"");
}

TEST_F(LoadFile, MissingFileIsOneProblem) {
  std::filesystem::path path = dir_ / "nowhere.json";
  Loaded loaded = load_file(path);
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].file, path.string());
  EXPECT_EQ(loaded.problems[0].line, 0);
  EXPECT_EQ(loaded.problems[0].to_string(),
            path.string() + ": cannot open: No such file or directory");
}

TEST_F(LoadFile, DirectoryIsOneProblem) {
  Loaded loaded = load_file(dir_);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].to_string(),
            dir_.string() + ": cannot open: it is a directory, not a scenario file");
}

TEST(Problem, ToStringLeavesOutWhatIsUnknown) {
  EXPECT_EQ((Problem{"a.json", 3, 7, "/id", "expected a string"}).to_string(),
            "a.json:3:7: /id: expected a string");
  EXPECT_EQ((Problem{"a.json", 3, 7, "", "expected a value"}).to_string(),
            "a.json:3:7: expected a value");
  EXPECT_EQ((Problem{"a.json", 0, 0, "/id", "expected a string"}).to_string(),
            "a.json: /id: expected a string");
  EXPECT_EQ((Problem{"", 1, 2, "", "expected a value"}).to_string(),
            "<input>:1:2: expected a value");
}

}  // namespace
}  // namespace reqtrace::scenario
