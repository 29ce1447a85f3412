// The quiz pane: the question due at the current step, its choices or a text box, Hint, Check,
// Give up, then the verdict and the explanation; the score in its corner.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "lesson/quiz/quiz.hpp"
#include "ui/view.hpp"

namespace reqtrace::ui {

class QuizPane : public View {
 public:
  // Draws the quiz for the current step inside this pane's window.
  using Content = std::function<void(ViewContext&)>;

  QuizPane() : View("Quiz", "Quizzes appear here at their steps.") {}
  // Another drawing of the pane's content; once set, it replaces the quiz.
  void set_content(Content content) { content_ = std::move(content); }
  void reset() override;

 protected:
  void draw_content(ViewContext& context) override;
  bool shows_without_steps() const override { return static_cast<bool>(content_); }

 private:
  void draw_question(ViewContext& context, std::size_t index);
  void draw_list(ViewContext& context);

  Content content_;
  // What this pane shows about the current question; cleared when another is asked.
  std::optional<std::size_t> shown_;
  std::string answer_;
  std::optional<std::size_t> picked_;  // class mode: the room's choice, before Check
  std::optional<lesson::Verdict> verdict_;
  std::string hint_;
};

}  // namespace reqtrace::ui
