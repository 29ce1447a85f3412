#include "lesson/quiz/quiz_session.hpp"

#include <map>

namespace reqtrace::lesson {
namespace {

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

QuizSession::QuizSession(std::vector<Question> questions)
    : questions_(std::move(questions)), results_(questions_.size()) {}

void QuizSession::replace_questions(std::vector<Question> questions) {
  std::map<std::string, QuestionResult> kept;
  for (std::size_t i = 0; i < questions_.size(); ++i) kept[questions_[i].id] = results_[i];
  std::optional<std::string> current_id;
  if (current_) current_id = questions_[*current_].id;

  questions_ = std::move(questions);
  results_.assign(questions_.size(), QuestionResult{});
  current_.reset();
  for (std::size_t i = 0; i < questions_.size(); ++i) {
    if (auto found = kept.find(questions_[i].id); found != kept.end()) results_[i] = found->second;
    if (current_id && questions_[i].id == *current_id) current_ = i;
  }
}

std::optional<std::size_t> QuizSession::find(std::string_view id) const {
  for (std::size_t i = 0; i < questions_.size(); ++i)
    if (questions_[i].id == id) return i;
  return std::nullopt;
}

std::vector<std::size_t> QuizSession::due_before(std::size_t step) const {
  std::vector<std::size_t> due;
  for (std::size_t i = 0; i < questions_.size(); ++i)
    if (questions_[i].step == step && questions_[i].when == AskWhen::BeforeStep &&
        !results_[i].done())
      due.push_back(i);
  return due;
}

std::vector<std::size_t> QuizSession::due_after(std::size_t step) const {
  std::vector<std::size_t> due;
  for (std::size_t i = 0; i < questions_.size(); ++i)
    if (questions_[i].step == step && questions_[i].when == AskWhen::AfterStep &&
        !results_[i].done())
      due.push_back(i);
  return due;
}

bool QuizSession::hides_value(std::size_t step, std::string_view var) const {
  for (std::size_t i = 0; i < questions_.size(); ++i) {
    const Question& question = questions_[i];
    if (question.kind == QuizKind::Value && question.step == step && question.var == var &&
        !results_[i].done())
      return true;
  }
  return false;
}

void QuizSession::ask(std::size_t index) {
  if (index < questions_.size()) current_ = index;
}

void QuizSession::close() {
  current_.reset();
}

QuizSession::State QuizSession::state() const {
  if (!current_) return State::Idle;
  return results_[*current_].done() ? State::Answered : State::Asking;
}

std::string QuizSession::hint() {
  if (!current_ || questions_[*current_].hint.empty()) return {};
  QuestionResult& result = results_[*current_];
  if (!result.done()) result.hints_used = 1;
  return questions_[*current_].hint;
}

bool QuizSession::hint_shown() const {
  return current_ && results_[*current_].hints_used > 0;
}

Verdict QuizSession::check(std::string_view answer) {
  if (!current_) return Verdict::Unreadable;
  QuestionResult& result = results_[*current_];
  if (result.done()) return result.correct ? Verdict::Right : Verdict::Wrong;
  const Graded graded = grade(questions_[*current_], answer);
  if (graded.verdict == Verdict::Unreadable) return graded.verdict;
  ++result.attempts;
  result.answer_given = trimmed(answer);
  result.choice_given = graded.choice;
  result.correct = graded.verdict == Verdict::Right;
  return graded.verdict;
}

void QuizSession::give_up() {
  if (current_ && !results_[*current_].done()) results_[*current_].gave_up = true;
}

Score QuizSession::score() const {
  Score score;
  score.total = static_cast<int>(questions_.size());
  for (const QuestionResult& result : results_) {
    if (result.correct) ++score.right;
    if (result.correct && result.attempts == 1 && result.hints_used == 0) ++score.first_try;
    if (result.attempts > 0 || result.gave_up) ++score.answered;
  }
  return score;
}

}  // namespace reqtrace::lesson
