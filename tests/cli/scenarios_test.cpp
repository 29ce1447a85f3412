// The shipped lessons: each one valid, complete, its quizzes anchored to what a real run does and
// their authored answers the trace's; and docs/scenario-format.md in step with the loader.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_path.hpp"

namespace {

using nlohmann::json;
using reqtrace::testing::run_process;
namespace fs = std::filesystem;

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(fs::path(REQTRACE_SOURCE_DIR) / "scenarios"))
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

json read_scenario(const fs::path& path) {
  return json::parse(read_text(path), nullptr, true, /*ignore_comments=*/true);
}

using reqtrace::testing::temp_path;

// One real run of each scenario, recorded once and shared by the tests that need it.
// NOLINTNEXTLINE(bugprone-exception-escape): json's move asserts its invariant; it never throws.
struct Recorded {
  fs::path trace;
  json steps;  // every event, as level 3's steps
};

const Recorded& recorded(const fs::path& scenario) {
  static std::map<fs::path, Recorded> runs;
  if (auto found = runs.find(scenario); found != runs.end()) return found->second;
  Recorded run;
  // Named after the test too: ctest may run two tests at once, each recording its own.
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  run.trace = temp_path(test + "-" + scenario.stem().string() + ".jsonl");
  auto result = run_process({REQTRACE_BINARY, "run", scenario.string(), "--json", "--level", "3",
                             "--trace", run.trace.string()});
  EXPECT_EQ(result.exit_code, 0) << scenario << "\n" << result.err;
  run.steps = result.exit_code == 0 ? json::parse(result.out)["steps"] : json::array();
  return runs.emplace(scenario, std::move(run)).first->second;
}

// As lesson::find_anchor: the server's "listening" belongs to no request and counts as request 1's.
bool happened(const json& steps, const json& anchor) {
  const std::string phase = anchor["phase"];
  const int req = anchor.value("req", 1);
  for (const auto& step : steps) {
    const int step_req = step["req"];
    if (step["phase"] == phase && (step_req == req || (step_req == 0 && req == 1))) return true;
  }
  return false;
}

TEST(Scenarios, TheLibraryHasTheFiveLessons) {
  std::set<std::string> ids;
  for (const auto& path : shipped_scenarios()) ids.insert(read_scenario(path)["id"]);
  for (const char* id :
       {"hello-wsgi", "flask-routing", "flask-internals", "wsgi-protocol", "errors"})
    EXPECT_TRUE(ids.count(id)) << id;
}

TEST(Scenarios, EachValidates) {
  for (const auto& path : shipped_scenarios()) {
    auto result = run_process({REQTRACE_BINARY, "validate", path.string()});
    EXPECT_EQ(result.exit_code, 0) << path << "\n" << result.err;
    EXPECT_EQ(result.out, path.string() + ": ok\n");
  }
}

TEST(Scenarios, EachIsAFullLesson) {
  for (const auto& path : shipped_scenarios()) {
    SCOPED_TRACE(path.string());
    const json scenario = read_scenario(path);
    EXPECT_EQ(scenario["id"], path.stem().string());
    EXPECT_FALSE(scenario.value("summary", "").empty());
    EXPECT_FALSE(scenario.value("narration", json::object()).empty());
    EXPECT_FALSE(scenario.value("key_moments", json::array()).empty());
    EXPECT_FALSE(scenario.value("snapshot", json::array()).empty());
    const json quizzes = scenario.value("quizzes", json::array());
    EXPECT_GE(quizzes.size(), 3u);
    std::set<std::string> kinds;
    for (const auto& quiz : quizzes) kinds.insert(quiz["kind"]);
    EXPECT_GE(kinds.size(), 2u) << "quizzes of mixed kinds";
  }
}

TEST(Scenarios, EveryAnchorHappensInARealRunAndEveryPhaseIsNarrated) {
  for (const auto& path : shipped_scenarios()) {
    SCOPED_TRACE(path.string());
    const json scenario = read_scenario(path);
    const json& steps = recorded(path).steps;
    ASSERT_FALSE(steps.empty());
    for (const auto& quiz : scenario.value("quizzes", json::array()))
      EXPECT_TRUE(happened(steps, quiz["at"])) << "quiz " << quiz["id"] << " at " << quiz["at"];
    for (const auto& moment : scenario.value("key_moments", json::array()))
      EXPECT_TRUE(happened(steps, moment["at"])) << "key moment " << moment["title"];
    const json narration = scenario.value("narration", json::object());
    for (const auto& step : steps)
      EXPECT_TRUE(narration.contains(step["phase"].get<std::string>()))
          << "no narration for phase " << step["phase"];
  }
}

// Each authored answer, given back to `reqtrace quiz` on a real trace, must be graded right at
// every level: the trace decides, and this is where an author learns the trace disagrees.
TEST(Scenarios, AuthoredAnswersAreWhatTheTraceDidAtEveryLevel) {
  for (const auto& path : shipped_scenarios()) {
    const json scenario = read_scenario(path);
    std::map<std::string, json> authored;
    for (const auto& quiz : scenario.value("quizzes", json::array())) authored[quiz["id"]] = quiz;
    const fs::path& trace = recorded(path).trace;
    for (const char* level : {"1", "2", "3"}) {
      SCOPED_TRACE(path.string() + " at level " + level);
      const auto results = temp_path(path.stem().string() + "-" + level + ".json");
      // The first pass only learns the order the questions are asked in.
      auto order = run_process({REQTRACE_BINARY, "quiz", trace.string(), "--level", level,
                                "--results", results.string()},
                               "");
      ASSERT_EQ(order.exit_code, 0) << order.err;
      const json asked = json::parse(read_text(results))["questions"];
      std::string answers;
      for (const auto& question : asked) {
        const json& quiz = authored.at(question["id"]);
        if (!quiz.contains("answer"))
          answers += "skip\n";
        else if (quiz["answer"].is_string())
          answers += quiz["answer"].get<std::string>() + "\n";
        else
          answers += std::to_string(quiz["answer"].get<int>() + 1) + "\n";
      }
      auto quiz = run_process({REQTRACE_BINARY, "quiz", trace.string(), "--level", level,
                               "--results", results.string()},
                              answers);
      ASSERT_EQ(quiz.exit_code, 0) << quiz.err;
      const json graded = json::parse(read_text(results));
      for (const auto& question : graded["questions"]) {
        if (authored.at(question["id"]).contains("answer")) {
          EXPECT_TRUE(question["correct"].get<bool>()) << question.dump() << "\n" << quiz.out;
        }
      }
      if (std::string(level) == "3") {
        EXPECT_EQ(graded["questions"].size(), authored.size()) << "every quiz is asked at level 3";
      }
    }
  }
}

// docs/scenario-format.md: per object (the heading's first `name`), the keys of its table.
std::map<std::string, std::set<std::string>> documented_keys(const std::string& doc) {
  std::map<std::string, std::set<std::string>> sections;
  std::string section;
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    const auto tick = line.find('`');
    if (line.rfind('#', 0) == 0) {
      const auto end = tick == std::string::npos ? tick : line.find('`', tick + 1);
      section = end == std::string::npos ? "" : line.substr(tick + 1, end - tick - 1);
    } else if (line.rfind("| `", 0) == 0 && !section.empty()) {
      sections[section].insert(line.substr(3, line.find('`', 3) - 3));
    }
  }
  return sections;
}

// A JSON pointer as the doc names its object: /app/routes/0/returns -> app.routes[].returns.
std::string object_name(const std::string& pointer) {
  if (pointer.empty()) return "scenario";
  std::string name;
  std::istringstream parts(pointer.substr(1));
  for (std::string part; std::getline(parts, part, '/');) {
    if (!part.empty() && std::all_of(part.begin(), part.end(), ::isdigit))
      name += "[]";
    else
      name += (name.empty() ? "" : ".") + part;
  }
  // Anchors are one object wherever they appear.
  if (name == "quizzes[].at" || name == "key_moments[].at") return "at";
  return name;
}

// A prediction is only a prediction if the student has not just seen the same thing happen: at
// every level, the step a predict quiz is asked before must not repeat an earlier step (the same
// phase, after the same phase of its own request). So a crowd lesson does not ask "what happens
// next?" about request 1 after showing it for request 5. Predictions of a var's value are left
// out: the same value may well come twice.
TEST(Scenarios, PredictionsAreAskedBeforeTheStepTheyPredictIsShownAtAll) {
  std::size_t checked = 0;
  for (const auto& path : shipped_scenarios()) {
    const fs::path& trace = recorded(path).trace;
    for (const char* level : {"1", "2", "3"}) {
      SCOPED_TRACE(path.filename().string() + " at level " + level);
      auto replay =
          run_process({REQTRACE_BINARY, "replay", trace.string(), "--json", "--level", level});
      ASSERT_EQ(replay.exit_code, 0) << replay.err;
      const json steps = json::parse(replay.out)["steps"];
      const auto results = temp_path(path.stem().string() + "-predict-" + level + ".json");
      auto quizzed = run_process({REQTRACE_BINARY, "quiz", trace.string(), "--level", level,
                                  "--results", results.string()},
                                 "");
      ASSERT_EQ(quizzed.exit_code, 0) << quizzed.err;
      // As the anchors count them: the server's events before any request are request 1's.
      const auto story = [&](std::size_t i) { return std::max(steps[i]["req"].get<int>(), 1); };
      const auto phase = [&](std::size_t i) { return steps[i]["phase"].get<std::string>(); };
      // The phase of the step before step `i` in the same request's story, "" when none.
      const auto before = [&](std::size_t i) -> std::string {
        for (std::size_t k = i; k-- > 0;)
          if (story(k) == story(i)) return phase(k);
        return "";
      };
      std::map<std::string, json> authored;
      const json scenario = read_scenario(path);
      for (const auto& quiz : scenario["quizzes"]) authored[quiz["id"].get<std::string>()] = quiz;
      const json asked = json::parse(read_text(results));  // kept: the loop reads into it
      for (const auto& question : asked["questions"]) {
        if (question["kind"].get<std::string>() != "predict") continue;
        // A var's value is a fact to recall, not a step to foresee.
        const json& quiz = authored.at(question["id"].get<std::string>());
        const std::string about = quiz.contains("about") ? quiz["about"].get<std::string>()
                                  : quiz.contains("var") ? "var"
                                                         : "phase";
        if (about == "var") continue;
        const std::size_t at = question["step"].get<std::size_t>() - 1;
        ASSERT_LT(at, steps.size());
        ++checked;
        for (std::size_t k = 0; k < at; ++k)
          EXPECT_FALSE(phase(k) == phase(at) && before(k) == before(at))
              << "quiz " << question["id"] << " predicts step " << at + 1 << " (" << phase(at)
              << " after " << before(at) << "), already shown at step " << k + 1;
      }
    }
  }
  EXPECT_GT(checked, 0u) << "no prediction was checked";
}

TEST(ScenarioFormatDoc, DocumentsEveryKeyTheLoaderAcceptsAndNoOther) {
  // A valid scenario with an unknown key in every object: the loader's complaint about each one
  // lists the keys that object accepts.
  json probe = json::parse(R"({
    "id": "probe", "title": "Probe", "summary": "s", "snapshot": ["a"], "narration": {},
    "topology": {"proxy": {}, "server": {"model": "dev"}, "middleware": []},
    "app": {"routes": [{"rule": "/", "endpoint": "home", "returns": {"body": "x"}}]},
    "requests": [{"path": "/"}],
    "track": [{"var": "server.state"}],
    "quizzes": [{"id": "p", "kind": "predict", "question": "?", "at": {"phase": "sent"},
                 "choices": [{"text": "a", "value": "sent"}, "idle"]}],
    "key_moments": [{"at": {"phase": "sent"}, "title": "t"}]
  })");
  const std::vector<json::json_pointer> objects = {
      json::json_pointer(""),
      json::json_pointer("/topology"),
      json::json_pointer("/topology/proxy"),
      json::json_pointer("/topology/server"),
      json::json_pointer("/app"),
      json::json_pointer("/app/routes/0"),
      json::json_pointer("/app/routes/0/returns"),
      json::json_pointer("/requests/0"),
      json::json_pointer("/track/0"),
      json::json_pointer("/quizzes/0"),
      json::json_pointer("/quizzes/0/at"),
      json::json_pointer("/quizzes/0/choices/0"),
      json::json_pointer("/key_moments/0"),
      json::json_pointer("/key_moments/0/at"),
  };
  for (const auto& object : objects) probe[object]["zzz_probe"] = 1;
  const auto path = temp_path("probe.json");
  std::ofstream(path) << probe.dump(2);
  auto result = run_process({REQTRACE_BINARY, "validate", path.string()});
  ASSERT_EQ(result.exit_code, 2);

  std::map<std::string, std::set<std::string>> accepted;
  const std::regex complaint(
      R"(: (/[^:]*|)/zzz_probe: unknown key "zzz_probe"; expected one of: (.*))");
  std::istringstream lines(result.err);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    ASSERT_TRUE(std::regex_search(line, match, complaint)) << line;
    std::set<std::string>& keys = accepted[object_name(match[1])];
    std::istringstream list(match[2].str());
    for (std::string key; std::getline(list, key, ',');)
      keys.insert(key.substr(key.find_first_not_of(' ')));
  }
  EXPECT_EQ(accepted.size(), 13u) << result.err;  // the two anchors are one object

  const auto documented =
      documented_keys(read_text(fs::path(REQTRACE_SOURCE_DIR) / "docs" / "scenario-format.md"));
  for (const auto& [object, keys] : accepted) {
    auto found = documented.find(object);
    ASSERT_NE(found, documented.end()) << "docs/scenario-format.md has no table for " << object;
    EXPECT_EQ(found->second, keys) << "the table for " << object;
  }
  for (const auto& [object, keys] : documented)
    EXPECT_TRUE(accepted.count(object))
        << "the doc has a table for " << object << ", which the loader does not read";
}

TEST(ScenarioFormatDoc, NamesEveryValueTheLoaderAcceptsForItsChoices) {
  json probe = json::parse(R"({
    "id": "probe", "title": "Probe",
    "topology": {"proxy": {"upstream": "zzz"}, "server": {"model": "zzz"}, "middleware": ["zzz"]},
    "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
    "requests": [{"path": "/"}],
    "quizzes": [{"id": "k", "kind": "zzz", "question": "?", "at": {"phase": "sent"}},
                {"id": "a", "kind": "predict", "about": "zzz", "question": "?",
                 "at": {"phase": "sent"}}]
  })");
  const auto path = temp_path("values.json");
  std::ofstream(path) << probe.dump(2);
  auto result = run_process({REQTRACE_BINARY, "validate", path.string()});
  ASSERT_EQ(result.exit_code, 2);
  const std::string doc = read_text(fs::path(REQTRACE_SOURCE_DIR) / "docs" / "scenario-format.md");
  const std::regex list(R"(expected one of:? (.*?)(, got .*)?$)");
  std::istringstream lines(result.err);
  int lists = 0;
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, list)) continue;
    ++lists;
    std::istringstream values(match[1].str());
    for (std::string value; std::getline(values, value, ',');) {
      value = value.substr(value.find_first_not_of(' '));
      EXPECT_NE(doc.find("`" + value + "`"), std::string::npos)
          << "docs/scenario-format.md does not name `" << value << "`: " << line;
    }
  }
  EXPECT_EQ(lists, 5) << result.err;  // upstream, model, middleware, kind, about
}

}  // namespace
