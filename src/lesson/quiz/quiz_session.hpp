// A student's (or a room's) way through a lesson's questions: ask, hint, check, give up, score.
// The quiz pane and `reqtrace quiz` only draw it and feed it answers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson/quiz/quiz.hpp"

namespace reqtrace::lesson {

struct QuestionResult {
  int attempts = 0;    // readable answers checked; an unreadable one is asked again for free
  int hints_used = 0;  // 0 or 1: a question has one hint
  bool correct = false;
  bool gave_up = false;
  std::optional<std::string> answer_given;  // the last readable answer, as typed
  std::optional<std::size_t> choice_given;  // the choice it picked, when there are choices

  bool done() const { return correct || gave_up; }
};

struct Score {
  int right = 0;      // questions answered right, at any attempt
  int first_try = 0;  // of those, right at the first attempt with no hint
  int answered = 0;   // questions with at least one readable answer, or given up
  int total = 0;
};

class QuizSession {
 public:
  // Where the current question stands. Asking: waiting for a right answer (wrong ones may
  // follow); Answered: right, or given up, so the explanation and the step link are shown.
  enum class State { Idle, Asking, Answered };

  explicit QuizSession(std::vector<Question> questions = {});

  // New questions for the same lesson (another level, a reloaded scenario): results carry over
  // by question id, and the current question stays current if it still exists.
  void replace_questions(std::vector<Question> questions);

  std::size_t size() const { return questions_.size(); }
  const std::vector<Question>& questions() const { return questions_; }
  const Question& question(std::size_t index) const { return questions_[index]; }
  const QuestionResult& result(std::size_t index) const { return results_[index]; }
  std::optional<std::size_t> find(std::string_view id) const;

  // Playback: the questions still to finish that are asked just before step `step` is shown,
  // and just after. Playing pauses at the first of these.
  std::vector<std::size_t> due_before(std::size_t step) const;
  std::vector<std::size_t> due_after(std::size_t step) const;

  // While a value question about `var` at `step` is open, the tracker should not give it away.
  bool hides_value(std::size_t step, std::string_view var) const;

  // The current question.
  void ask(std::size_t index);
  void close();  // back to Idle; the question's result so far is kept
  State state() const;
  std::optional<std::size_t> current() const { return current_; }

  // The hint of the current question, counted once; empty when it has none (and not counted).
  std::string hint();
  bool hint_shown() const;
  // Grades an answer to the current question. Unreadable and already-answered checks change
  // nothing; a wrong one counts an attempt and keeps asking; a right one answers it.
  Verdict check(std::string_view answer);
  // Reveals the answer: the question is done and not right.
  void give_up();

  Score score() const;

 private:
  std::vector<Question> questions_;
  std::vector<QuestionResult> results_;
  std::optional<std::size_t> current_;
};

}  // namespace reqtrace::lesson
