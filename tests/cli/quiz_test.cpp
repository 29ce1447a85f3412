// reqtrace quiz as a student meets it: answers piped in, hints, answers asked again, the end of
// the input, the results file, a recorded trace with no scenario file, and bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_path.hpp"

namespace {

using reqtrace::testing::run_process;
namespace fs = std::filesystem;

using reqtrace::testing::temp_path;

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// hello-wsgi's quizzes at level 1, in the order they are asked, answered right.
const char* kHelloRightAnswers =
    "1\n"                         // predict, before step 3: it calls the app
    "2\n"                         // choice, after step 3: ready when app(...) returns, step 4
    "waiting to send response\n"  // value, after step 4
    "2\n";                        // choice, after step 5: No

TEST(Quiz, PipedAnswersAreGradedAndScored) {
  const auto results = temp_path("right.json");
  auto quiz = run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "--results", results.string()},
                          kHelloRightAnswers);
  ASSERT_EQ(quiz.exit_code, 0) << quiz.err;
  const std::string& out = quiz.out;
  EXPECT_NE(out.find("Score: 4 of 4 right (4 at the first try with no hint)"), std::string::npos)
      << out;
  // A prediction is asked before its step is shown, the others after theirs.
  const auto predict = out.find("before step 3 is shown");
  const auto step3 = out.find("Step 3 of 6");
  const auto step4 = out.find("Step 4 of 6");
  const auto value = out.find("What is the WSGI server's state now?");
  ASSERT_NE(predict, std::string::npos) << out;
  EXPECT_LT(predict, step3);
  EXPECT_LT(step4, value);
  // The step's variable changes come after its questions, so they do not give the answer away.
  EXPECT_LT(value, out.find("WSGI Server State: Processing request → Waiting to send response"));

  const auto json = read_json(results);
  EXPECT_EQ(json["scenario"], "hello-wsgi");
  EXPECT_EQ(json["trace_source"]["kind"], "run");
  EXPECT_EQ(json["score"]["right"], 4);
  EXPECT_EQ(json["score"]["total"], 4);
  EXPECT_FALSE(json["started_at"].get<std::string>().empty());
  ASSERT_EQ(json["questions"].size(), 4u);
  EXPECT_EQ(json["questions"][2]["id"], "server-state-after-return");
  EXPECT_EQ(json["questions"][2]["step"], 4);
  EXPECT_EQ(json["questions"][2]["answer_given"], "waiting to send response");
  EXPECT_FALSE(fs::exists(results.string() + ".tmp"));
}

TEST(Quiz, HintsWrongAndUnreadableAnswers) {
  const auto results = temp_path("tries.json");
  auto quiz = run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "--results", results.string()},
                          "h\n"            // the hint
                          "\n"             // blank: asked again
                          "9\n"            // no such choice: asked again
                          "the kitchen\n"  // no such choice either
                          "2\n"            // wrong
                          "1\n"            // right, at the second attempt
                          "2\n"            // right at the first try
                          "Processing\n"   // wrong value
                          "skip\n"         // given up
                          "hint\n"
                          "2\n");
  ASSERT_EQ(quiz.exit_code, 0) << quiz.err;
  const std::string& out = quiz.out;
  EXPECT_NE(out.find("Hint: The server speaks HTTP"), std::string::npos) << out;
  EXPECT_NE(out.find("Please answer with a number from 1 to 3"), std::string::npos) << out;
  EXPECT_NE(out.find("Not quite. Try again"), std::string::npos);
  EXPECT_NE(out.find("The answer: Waiting to send response"), std::string::npos) << out;
  // The one given up after a wrong answer counts as wrong, not skipped.
  EXPECT_NE(out.find("Score: 3 of 4 right (1 at the first try with no hint), 1 wrong, 0 skipped"),
            std::string::npos)
      << out;
  const auto json = read_json(results);
  const auto& first = json["questions"][0];
  EXPECT_EQ(first["attempts"], 2);  // the blank and unreadable answers are not attempts
  EXPECT_EQ(first["hints_used"], 1);
  EXPECT_EQ(first["correct"], true);
  const auto& given_up = json["questions"][2];
  EXPECT_EQ(given_up["gave_up"], true);
  EXPECT_EQ(given_up["correct"], false);
  EXPECT_EQ(given_up["answer_given"], "Processing");
  EXPECT_EQ(json["questions"][3]["hints_used"], 1);
}

TEST(Quiz, TheEndOfTheInputEndsTheQuizWithTheScoreSoFar) {
  const auto results = temp_path("eof.json");
  auto quiz =
      run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "--results", results.string()}, "1\n");
  ASSERT_EQ(quiz.exit_code, 0) << quiz.err;
  EXPECT_NE(quiz.out.find("The input ended: 3 of 4 questions not answered."), std::string::npos)
      << quiz.out;
  EXPECT_NE(quiz.out.find("Score: 1 of 4 right"), std::string::npos);
  EXPECT_NE(quiz.out.find(", 0 wrong, 3 skipped"), std::string::npos) << quiz.out;
  const auto json = read_json(results);
  EXPECT_EQ(json["score"]["right"], 1);
  EXPECT_EQ(json["score"]["answered"], 1);
  EXPECT_TRUE(json["questions"][2]["answer_given"].is_null());

  auto nothing = run_process({REQTRACE_BINARY, "quiz", "hello-wsgi"}, "");
  EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_NE(nothing.out.find("Score: 0 of 4 right"), std::string::npos) << nothing.out;
}

TEST(Quiz, ARecordedTraceIsQuizzedWithItsEmbeddedScenario) {
  const auto trace = temp_path("hello.jsonl");
  auto recorded = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--trace", trace.string()});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  // Away from the source tree and its scenarios/, the trace is all there is.
  const auto alone = temp_path("alone");
  fs::create_directories(alone);
  fs::copy_file(trace, alone / "t.jsonl", fs::copy_options::overwrite_existing);
  const auto results = alone / "r.json";
  auto quiz = run_process({"sh", "-c",
                           "cd " + alone.string() + " && REQTRACE_DATA=/nonexistent " +
                               REQTRACE_BINARY + " quiz t.jsonl --level 3 --results r.json"},
                          kHelloRightAnswers);
  ASSERT_EQ(quiz.exit_code, 0) << quiz.err;
  EXPECT_NE(quiz.out.find("Step 27 of "), std::string::npos) << quiz.out;
  EXPECT_NE(quiz.out.find("2) Step 27: when app(...) returns its iterable"), std::string::npos)
      << quiz.out;
  const auto json = read_json(results);
  EXPECT_EQ(json["trace_source"]["kind"], "file");
  EXPECT_EQ(json["trace_source"]["path"], "t.jsonl");
  EXPECT_EQ(json["level"], 3);
  EXPECT_EQ(json["score"]["total"], 4);
}

TEST(Quiz, GeneratedQuestionsAreTheSameForTheSameSeed) {
  const auto trace = temp_path("generated.jsonl");
  ASSERT_EQ(
      run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--trace", trace.string()}).exit_code, 0);
  std::vector<nlohmann::json> runs;
  for (int i = 0; i < 2; ++i) {
    const auto results = temp_path("generated-" + std::to_string(i) + ".json");
    auto quiz = run_process({REQTRACE_BINARY, "quiz", trace.string(), "--generated", "3", "--seed",
                             "7", "--results", results.string()},
                            "");
    ASSERT_EQ(quiz.exit_code, 0) << quiz.err;
    runs.push_back(read_json(results));
  }
  EXPECT_EQ(runs[0]["seed"], 7);
  EXPECT_EQ(runs[0]["score"]["total"], 7);  // four authored, three made
  EXPECT_EQ(runs[0]["questions"], runs[1]["questions"]);
  int generated = 0;
  for (const auto& question : runs[0]["questions"]) generated += question["generated"].get<bool>();
  EXPECT_EQ(generated, 3);
}

TEST(Quiz, AScenarioWithNoQuizGetsQuestionsMadeFromItsTrace) {
  const auto path = temp_path("no-quiz.json");
  std::ofstream(path) << R"({"id": "bare", "title": "Bare",
    "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
    "requests": [{"path": "/"}]})";
  auto quiz = run_process({REQTRACE_BINARY, "quiz", path.string(), "--seed", "1"}, "");
  ASSERT_EQ(quiz.exit_code, 0) << quiz.err;
  EXPECT_NE(quiz.err.find("asking 3 questions made from the trace"), std::string::npos) << quiz.err;
  EXPECT_NE(quiz.out.find("Quiz: 3 questions"), std::string::npos) << quiz.out;
}

TEST(Quiz, BadInputExitsTwoWithAMessage) {
  auto level = run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "--level", "4"});
  EXPECT_EQ(level.exit_code, 2);
  EXPECT_NE(level.err.find("--level expects a whole number from 1 to 3"), std::string::npos);
  auto generated = run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "--generated", "many"});
  EXPECT_EQ(generated.exit_code, 2);
  EXPECT_NE(generated.err.find("--generated expects a whole number"), std::string::npos);
  auto seed = run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "--seed", "-1"});
  EXPECT_EQ(seed.exit_code, 2);
  auto folder =
      run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "--results", "/no/such/folder/r.json"});
  EXPECT_EQ(folder.exit_code, 2);
  EXPECT_NE(folder.err.find("the folder /no/such/folder does not exist"), std::string::npos)
      << folder.err;
  auto missing = run_process({REQTRACE_BINARY, "quiz", "no-such-scenario"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no-such-scenario"), std::string::npos);
  auto two = run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "flask-routing"});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_NE(two.err.find("expected one scenario"), std::string::npos);
  auto flag = run_process({REQTRACE_BINARY, "quiz", "hello-wsgi", "--colour"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.err.find("unknown option --colour"), std::string::npos);
}

}  // namespace
