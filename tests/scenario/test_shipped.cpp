// The shipped lessons, as the loader reads them: each one loads, and no quiz's answer is written
// out where a student reads it before the question (the summary, the question, the hint).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "lesson/quiz/quiz.hpp"
#include "scenario/load.hpp"

namespace reqtrace::scenario {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> shipped() {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(fs::path(REQTRACE_SOURCE_DIR) / "scenarios"))
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  return paths;
}

// As the quiz grades a typed answer (normalize_answer), with "{step...}" and full stops dropped
// too: how a reader would recognise the same words.
std::string plain(const std::string& text) {
  std::string words;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{')
      i = std::min(text.find('}', i), text.size() - 1);
    else
      words += text[i] == '.' ? ' ' : text[i];
  }
  return lesson::normalize_answer(words);
}

// The answer as a student would read it: the right choice's text, or the value to type. Short
// answers ("No", "Idle") are words any text may use, so only answers of three words or more are
// looked for.
std::vector<std::string> answer_texts(const Quiz& quiz) {
  std::vector<std::string> texts;
  if (quiz.kind == QuizKind::Choice && quiz.answer.is_number_integer())
    texts.push_back(quiz.choices.at(quiz.answer.get<std::size_t>()));
  if (quiz.kind == QuizKind::Value && quiz.answer.is_string()) {
    texts.push_back(quiz.answer.get<std::string>());
    texts.insert(texts.end(), quiz.accept.begin(), quiz.accept.end());
  }
  std::vector<std::string> long_ones;
  for (const std::string& text : texts) {
    const std::string words = plain(text);
    if (std::count(words.begin(), words.end(), ' ') >= 2) long_ones.push_back(words);
  }
  return long_ones;
}

TEST(ShippedScenarios, EachLoads) {
  const auto paths = shipped();
  ASSERT_GE(paths.size(), 12u);
  for (const auto& path : paths) {
    const Loaded loaded = load_file(path);
    EXPECT_TRUE(loaded) << path << ": "
                        << (loaded.problems.empty() ? "" : loaded.problems[0].to_string());
  }
}

TEST(ShippedScenarios, NoQuizWritesItsAnswerWhereItIsReadFirst) {
  for (const auto& path : shipped()) {
    const Loaded loaded = load_file(path);
    ASSERT_TRUE(loaded) << path;
    const Scenario& scenario = *loaded.scenario;
    for (const Quiz& quiz : scenario.quizzes) {
      SCOPED_TRACE(path.filename().string() + " quiz " + quiz.id);
      for (const std::string& answer : answer_texts(quiz)) {
        EXPECT_EQ(plain(scenario.summary).find(answer), std::string::npos) << "summary: " << answer;
        EXPECT_EQ(plain(quiz.question).find(answer), std::string::npos) << "question: " << answer;
        EXPECT_EQ(plain(quiz.hint).find(answer), std::string::npos) << "hint: " << answer;
      }
    }
  }
}

// A value quiz's typed answer must not hang on the tool's exact label: it says which other forms
// are right, or offers choices.
TEST(ShippedScenarios, TypedAnswersAcceptMoreThanTheLabel) {
  for (const auto& path : shipped()) {
    const Loaded loaded = load_file(path);
    ASSERT_TRUE(loaded) << path;
    for (const Quiz& quiz : loaded.scenario->quizzes)
      if (quiz.kind == QuizKind::Value && quiz.choices.empty()) {
        const std::string answer = quiz.answer.get<std::string>();
        // A one-word label ("Idle", "No") has no other form worth listing.
        if (answer.find(' ') == std::string::npos) continue;
        EXPECT_FALSE(quiz.accept.empty()) << path.filename() << " quiz " << quiz.id;
      }
  }
}

}  // namespace
}  // namespace reqtrace::scenario
