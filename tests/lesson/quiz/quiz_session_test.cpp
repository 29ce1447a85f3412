// The quiz session a pane or the terminal drives (ask, hint, check, give up, score), and the
// results a teacher collects.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lesson/quiz/quiz_results.hpp"
#include "lesson/quiz/quiz_session.hpp"

namespace reqtrace::lesson {
namespace {

namespace fs = std::filesystem;
using State = QuizSession::State;

Question choice_question(std::string id, std::size_t step) {
  Question question;
  question.id = std::move(id);
  question.kind = QuizKind::Choice;
  question.text = "Which?";
  question.choices = {{"Yes", "Yes"}, {"No", "No"}, {"Maybe", "Maybe"}};
  question.right_choice = 1;
  question.expected = "No";
  question.hint = "Think.";
  question.explanation = "Because.";
  question.step = step;
  return question;
}

Question value_question(std::string id, std::size_t step) {
  Question question;
  question.id = std::move(id);
  question.kind = QuizKind::Value;
  question.text = "What is it?";
  question.var = "server.state";
  question.expected = "Waiting to send response";
  question.step = step;
  return question;
}

Question predict_question(std::string id, std::size_t step) {
  Question question = choice_question(std::move(id), step);
  question.kind = QuizKind::Predict;
  question.when = AskWhen::BeforeStep;
  return question;
}

QuizSession three_questions() {
  return QuizSession({predict_question("p", 2), choice_question("c", 2), value_question("v", 3)});
}

TEST(QuizSession, SaysWhatIsDueAroundEachStep) {
  QuizSession session = three_questions();
  EXPECT_EQ(session.due_before(2), std::vector<std::size_t>{0});
  EXPECT_EQ(session.due_after(2), std::vector<std::size_t>{1});
  EXPECT_EQ(session.due_after(3), std::vector<std::size_t>{2});
  EXPECT_TRUE(session.due_before(3).empty());
  EXPECT_TRUE(session.due_after(0).empty());
  EXPECT_EQ(session.find("v"), 2u);
  EXPECT_EQ(session.find("nope"), std::nullopt);
}

TEST(QuizSession, AskHintCheckUntilRight) {
  QuizSession session = three_questions();
  EXPECT_EQ(session.state(), State::Idle);
  EXPECT_EQ(session.check("2"), Verdict::Unreadable);  // nothing asked yet
  session.ask(1);
  EXPECT_EQ(session.state(), State::Asking);
  EXPECT_EQ(session.current(), 1u);
  EXPECT_FALSE(session.hint_shown());
  EXPECT_EQ(session.hint(), "Think.");
  EXPECT_EQ(session.hint(), "Think.");  // shown twice, counted once
  EXPECT_TRUE(session.hint_shown());
  EXPECT_EQ(session.check(""), Verdict::Unreadable);
  EXPECT_EQ(session.check("7"), Verdict::Unreadable);
  EXPECT_EQ(session.result(1).attempts, 0);  // unreadable answers are free
  EXPECT_EQ(session.check("1"), Verdict::Wrong);
  EXPECT_EQ(session.state(), State::Asking);  // any number of attempts
  EXPECT_EQ(session.check(" no "), Verdict::Right);
  EXPECT_EQ(session.state(), State::Answered);
  EXPECT_EQ(session.check("1"), Verdict::Right);  // answered: nothing changes
  const QuestionResult& result = session.result(1);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(result.hints_used, 1);
  EXPECT_TRUE(result.correct);
  EXPECT_EQ(result.answer_given, "no");
  EXPECT_EQ(result.choice_given, 1u);
  EXPECT_TRUE(session.due_after(2).empty());  // done, so no longer due
  session.close();
  EXPECT_EQ(session.state(), State::Idle);
}

TEST(QuizSession, GivingUpRevealsAndCountsAsNotRight) {
  QuizSession session = three_questions();
  session.ask(2);
  EXPECT_TRUE(session.hides_value(3, "server.state"));
  EXPECT_FALSE(session.hides_value(3, "app.state"));
  EXPECT_EQ(session.hint(), "");  // no hint: nothing shown, nothing counted
  EXPECT_EQ(session.result(2).hints_used, 0);
  EXPECT_EQ(session.check("processing"), Verdict::Wrong);
  session.give_up();
  EXPECT_EQ(session.state(), State::Answered);
  EXPECT_TRUE(session.result(2).gave_up);
  EXPECT_FALSE(session.result(2).correct);
  EXPECT_FALSE(session.hides_value(3, "server.state"));
  EXPECT_EQ(session.check("Waiting to send response"), Verdict::Wrong);  // too late
}

TEST(QuizSession, Score) {
  QuizSession session = three_questions();
  session.ask(0);
  EXPECT_EQ(session.check("2"), Verdict::Right);  // first try, no hint
  session.ask(1);
  session.hint();
  EXPECT_EQ(session.check("No"), Verdict::Right);  // right, with the hint
  const Score score = session.score();
  EXPECT_EQ(score.right, 2);
  EXPECT_EQ(score.first_try, 1);
  EXPECT_EQ(score.answered, 2);
  EXPECT_EQ(score.total, 3);
  EXPECT_EQ(QuizSession().score().total, 0);
}

TEST(QuizSession, NewQuestionsKeepResultsByIdAndTheCurrentOne) {
  QuizSession session = three_questions();
  session.ask(0);
  session.check("2");
  session.ask(2);
  session.check("idle");
  // Another level: the steps move, one question is gone, one is new.
  session.replace_questions(
      {choice_question("new", 1), value_question("v", 9), predict_question("p", 7)});
  EXPECT_EQ(session.size(), 3u);
  EXPECT_EQ(session.current(), 1u);  // "v" is still being asked
  EXPECT_EQ(session.result(1).attempts, 1);
  EXPECT_TRUE(session.result(2).correct);
  EXPECT_EQ(session.result(0).attempts, 0);
  EXPECT_TRUE(session.due_before(7).empty());
  session.replace_questions({});
  EXPECT_EQ(session.state(), State::Idle);
}

TEST(QuizResults, JsonATeacherCanCollect) {
  QuizSession session = three_questions();
  session.ask(1);
  session.hint();
  session.check("1");
  session.check("2");
  ResultsContext context{"hello-wsgi", "file", "/tmp/t.jsonl", "2026-11-23T07:00:00Z", 3, 42};
  const nlohmann::json json = results_json(session, context);
  EXPECT_EQ(json["format"], "reqtrace-quiz-results");
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["scenario"], "hello-wsgi");
  EXPECT_EQ(json["trace_source"], (nlohmann::json{{"kind", "file"}, {"path", "/tmp/t.jsonl"}}));
  EXPECT_EQ(json["started_at"], "2026-11-23T07:00:00Z");
  EXPECT_EQ(json["level"], 3);
  EXPECT_EQ(json["seed"], 42);
  ASSERT_EQ(json["questions"].size(), 3u);
  const auto& answered = json["questions"][1];
  EXPECT_EQ(answered["id"], "c");
  EXPECT_EQ(answered["kind"], "choice");
  EXPECT_EQ(answered["step"], 3);  // numbered from 1
  EXPECT_EQ(answered["attempts"], 2);
  EXPECT_EQ(answered["hints_used"], 1);
  EXPECT_EQ(answered["correct"], true);
  EXPECT_EQ(answered["answer_given"], "2");
  EXPECT_TRUE(json["questions"][0]["answer_given"].is_null());
  EXPECT_EQ(json["score"],
            (nlohmann::json{{"right", 1}, {"total", 3}, {"first_try", 0}, {"answered", 1}}));
  context.seed.reset();
  EXPECT_FALSE(results_json(session, context).contains("seed"));
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(QuizResults, WritesAtomicallyAndLeavesNoTemporaryFile) {
  const fs::path folder = fs::path(::testing::TempDir()) / "quiz-results-test";
  fs::remove_all(folder);
  fs::create_directories(folder);
  const fs::path file = folder / "results.json";
  std::string error;
  ASSERT_TRUE(write_file_atomically(file, "{\"first\": 1}\n", error)) << error;
  EXPECT_EQ(read_all(file), "{\"first\": 1}\n");
  ASSERT_TRUE(write_file_atomically(file, "{\"second\": 2}\n", error)) << error;
  EXPECT_EQ(read_all(file), "{\"second\": 2}\n");
  EXPECT_FALSE(fs::exists(folder / "results.json.tmp"));
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
}

TEST(QuizResults, AFailedWriteSaysWhyAndLeavesWhatWasThere) {
  const fs::path folder = fs::path(::testing::TempDir()) / "quiz-results-fail";
  fs::remove_all(folder);
  fs::create_directories(folder / "taken" / "inside");
  std::string error;
  // A folder where the file should go: the rename fails, and the temporary file goes away.
  EXPECT_FALSE(write_file_atomically(folder / "taken", "{}", error));
  EXPECT_NE(error.find("taken"), std::string::npos) << error;
  EXPECT_TRUE(fs::is_directory(folder / "taken" / "inside"));
  EXPECT_FALSE(fs::exists(folder / "taken.tmp"));
  error.clear();
  EXPECT_FALSE(write_file_atomically(folder / "no" / "such" / "r.json", "{}", error));
  EXPECT_NE(error.find("cannot create"), std::string::npos) << error;
}

}  // namespace
}  // namespace reqtrace::lesson
