// What the scenario loader accepts of a quiz beyond the basics: predict choices that say what
// they stand for, "about", a predict answer, and "{step:PHASE}" in the texts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scenario/load.hpp"

namespace reqtrace::scenario {
namespace {

using Strings = std::vector<std::string>;
using nlohmann::json;

json base() {
  return json::parse(R"({
    "id": "base", "title": "Base",
    "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
    "requests": [{"path": "/"}],
    "track": [{"var": "server.state"}, {"var": "app.state"}]
  })");
}

Loaded with_quiz(const json& quiz) {
  json document = base();
  document["quizzes"] = nlohmann::json::array({quiz});
  return load_json(document, "s.json");
}

Strings problems(const json& quiz) {
  Strings out;
  for (const Problem& problem : with_quiz(quiz).problems) out.push_back(problem.to_string());
  return out;
}

const json kPredict = {{"id", "p"},
                       {"kind", "predict"},
                       {"at", {{"phase", "calling_app"}}},
                       {"question", "What next?"}};

TEST(QuizFormat, PredictChoicesMayBeObjectsThatSayWhatTheyStandFor) {
  json quiz = kPredict;
  quiz["choices"] = {
      {{"text", "It calls the app"}, {"value", "calling_app"}}, "sent", {{"text", "idle"}}};
  quiz["answer"] = 0;
  Loaded loaded = with_quiz(quiz);
  ASSERT_TRUE(loaded) << (loaded.problems.empty() ? "" : loaded.problems[0].to_string());
  const Quiz& read = loaded.scenario->quizzes[0];
  EXPECT_EQ(read.about, PredictAbout::Phase);  // the default
  EXPECT_EQ(read.choices, (Strings{"It calls the app", "sent", "idle"}));
  EXPECT_EQ(read.choice_values, (Strings{"calling_app", "sent", "idle"}));
  EXPECT_EQ(read.answer, 0);
}

TEST(QuizFormat, PredictChoiceValuesAreCheckedByAbout) {
  json quiz = kPredict;
  quiz["choices"] = {{{"text", "x"}, {"value", "calling-app"}}, "sent", "sent"};
  EXPECT_EQ(problems(quiz),
            (Strings{problems(quiz)[0],
                     "s.json: /quizzes/0/choices/2: choice /quizzes/0/choices/1 already stands "
                     "for \"sent\"; each choice must be a different outcome"}));
  EXPECT_EQ(problems(quiz)[0].rfind(
                "s.json: /quizzes/0/choices/0/value: unknown phase \"calling-app\"; expected", 0),
            0u);

  quiz["about"] = "actor";
  quiz["choices"] = {"server", "browser"};
  EXPECT_EQ(problems(quiz), (Strings{"s.json: /quizzes/0/choices/1: unknown actor \"browser\"; "
                                     "expected one of: client, proxy, server, worker, app"}));
  quiz["about"] = "who";
  EXPECT_EQ(problems(quiz)[0],
            "s.json: /quizzes/0/about: expected one of phase, actor, var, got \"who\"");
}

TEST(QuizFormat, AboutVarNeedsATrackedVarAndAVarMeansAboutVar) {
  json quiz = kPredict;
  quiz["about"] = "var";
  EXPECT_EQ(problems(quiz), Strings{"s.json: /quizzes/0: missing required key \"var\""});
  quiz.erase("about");
  quiz["var"] = "app.state";
  quiz["choices"] = {"Idle", "Running home() route"};
  Loaded loaded = with_quiz(quiz);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded.scenario->quizzes[0].about, PredictAbout::Var);
  json choice = {{"id", "c"},       {"kind", "choice"},      {"at", {{"phase", "view"}}},
                 {"question", "?"}, {"choices", {"a", "b"}}, {"answer", 0},
                 {"about", "phase"}};
  EXPECT_EQ(problems(choice),
            Strings{"s.json: /quizzes/0/about: \"about\" is only for predict quizzes; this one is "
                    "\"choice\""});
}

TEST(QuizFormat, APredictAnswerIsAnIndexAndNeedsChoices) {
  json quiz = kPredict;
  quiz["answer"] = 1;
  EXPECT_EQ(problems(quiz),
            Strings{"s.json: /quizzes/0/answer: expected no answer: a predict quiz without "
                    "choices gets them from the trace, and the trace says which is right"});
  quiz["choices"] = {"calling_app", "sent"};
  quiz["answer"] = 2;
  EXPECT_EQ(problems(quiz),
            Strings{"s.json: /quizzes/0/answer: expected an integer from 0 to 1, got 2"});
  quiz["answer"] = "calling_app";
  EXPECT_EQ(problems(quiz).size(), 1u);
  quiz["choices"] = {"calling_app"};
  quiz.erase("answer");
  EXPECT_EQ(problems(quiz),
            Strings{"s.json: /quizzes/0/choices: expected at least 2 choices, got 1"});
}

TEST(QuizFormat, StepPlaceholdersNameAPhase) {
  json quiz = {{"id", "c"},
               {"kind", "choice"},
               {"at", {{"phase", "view"}}},
               {"question", "At step {step}, or {step:sent}?"},
               {"choices", {"Step {step:calling_app}", "Step {step:calling-app}"}},
               {"answer", 0},
               {"hint", "{step:nope}"}};
  Strings got = problems(quiz);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].rfind("s.json: /quizzes/0/hint: \"{step:nope}\" names an unknown phase "
                         "\"nope\"; expected one of: ",
                         0),
            0u)
      << got[0];
  EXPECT_EQ(got[1].rfind("s.json: /quizzes/0/choices/1: \"{step:calling-app}\" names an unknown "
                         "phase \"calling-app\"",
                         0),
            0u)
      << got[1];
}

}  // namespace
}  // namespace reqtrace::scenario
