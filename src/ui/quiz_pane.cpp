#include "ui/quiz_pane.hpp"

#include "ui/widgets.hpp"

namespace reqtrace::ui {

void QuizPane::draw_content(ViewContext& context) {
  if (content_) {
    content_(context);
    return;
  }
  const auto& quizzes = context.model->scenario().quizzes;
  if (quizzes.empty()) {
    empty_state("This scenario has no quizzes.", *context.palette);
    return;
  }
  ImGui::PushTextWrapPos(0);
  ImGui::Text("This scenario has %zu quiz%s; they will be asked here at their steps.",
              quizzes.size(), quizzes.size() == 1 ? "" : "zes");
  coloured_text(context.palette->dim_text, "Meanwhile, in a terminal: reqtrace quiz SCENARIO");
  ImGui::PopTextWrapPos();
  for (const auto& quiz : quizzes)
    ImGui::BulletText("%s (at %s)", quiz.id.c_str(), quiz.at.phase.c_str());
}

}  // namespace reqtrace::ui
