// The quiz pane: where the quiz engine will ask the class; until then it says what is coming.
#pragma once

#include <functional>
#include <utility>

#include "ui/view.hpp"

namespace reqtrace::ui {

class QuizPane : public View {
 public:
  // Draws the quiz for the current step inside this pane's window.
  using Content = std::function<void(ViewContext&)>;

  QuizPane() : View("Quiz", "Quizzes appear here at their steps.") {}
  // The hook for the quiz engine: once set, it draws the pane's content.
  void set_content(Content content) { content_ = std::move(content); }

 protected:
  void draw_content(ViewContext& context) override;
  bool shows_without_steps() const override { return static_cast<bool>(content_); }

 private:
  Content content_;
};

}  // namespace reqtrace::ui
