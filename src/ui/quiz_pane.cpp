#include "ui/quiz_pane.hpp"

#include <imgui_stdlib.h>

#include "lesson/view/viewer_model.hpp"
#include "ui/widgets.hpp"

namespace reqtrace::ui {
namespace {

constexpr ImU32 kRight = IM_COL32(70, 180, 90, 255);
constexpr ImU32 kWrong = IM_COL32(220, 90, 70, 255);

}  // namespace

void QuizPane::reset() {
  shown_.reset();
  answer_.clear();
  picked_.reset();
  verdict_.reset();
  hint_.clear();
}

void QuizPane::draw_content(ViewContext& context) {
  if (content_) {
    content_(context);
    return;
  }
  lesson::QuizPlayer& quiz = context.model->quiz();
  const lesson::QuizSession& session = quiz.session();
  if (session.current() != shown_) {
    reset();
    shown_ = session.current();
  }

  // The score in the top right corner, the class mode switch at the left.
  bool class_mode = quiz.class_mode();
  if (ImGui::Checkbox("Class mode", &class_mode)) quiz.set_class_mode(class_mode);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Enter the room's answer, then Check shows the class the result.");
  const std::string score = "Score " + quiz.score_text();
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(score.c_str()).x);
  ImGui::TextUnformatted(score.c_str());
  ImGui::Separator();

  if (session.current())
    draw_question(context, *session.current());
  else
    draw_list(context);
}

void QuizPane::draw_list(ViewContext& context) {
  const auto& quizzes = context.model->scenario().quizzes;
  const lesson::QuizSession& session = context.model->quiz().session();
  if (session.size() == 0) {
    empty_state(quizzes.empty() ? "This scenario has no quizzes."
                                : "No quiz of this scenario is asked at this level.",
                *context.palette);
    return;
  }
  ImGui::PushTextWrapPos(0);
  ImGui::Text("%zu question%s at this level; playing or Next stops at each.", session.size(),
              session.size() == 1 ? "" : "s");
  ImGui::PopTextWrapPos();
  for (std::size_t i = 0; i < session.size(); ++i) {
    const lesson::Question& question = session.question(i);
    const lesson::QuestionResult& result = session.result(i);
    ImGui::PushID(static_cast<int>(i));
    ImGui::BulletText("Step %zu: %s%s", question.step + 1, question.id.c_str(),
                      result.correct   ? " (right)"
                      : result.gave_up ? " (given up)"
                                       : "");
    ImGui::SameLine();
    if (ImGui::SmallButton("Ask")) context.model->quiz().session().ask(i);
    ImGui::PopID();
  }
}

void QuizPane::draw_question(ViewContext& context, std::size_t index) {
  lesson::QuizPlayer& quiz = context.model->quiz();
  lesson::QuizSession& session = quiz.session();
  const lesson::Question& question = session.question(index);
  const bool asking = session.state() == lesson::QuizSession::State::Asking;
  const auto check = [&](const std::string& answer) { verdict_ = session.check(answer); };

  ImGui::PushTextWrapPos(0);
  coloured_text(context.palette->dim_text,
                std::string(question.when == lesson::AskWhen::BeforeStep ? "Before" : "After") +
                    " step " + std::to_string(question.step + 1));
  ImGui::TextUnformatted(question.text.c_str());
  ImGui::PopTextWrapPos();

  if (asking) {
    if (!question.choices.empty()) {
      for (std::size_t i = 0; i < question.choices.size(); ++i) {
        const std::string label = std::to_string(i + 1) + ". " + question.choices[i].text;
        ImGui::PushID(static_cast<int>(i));
        // Class mode picks the room's answer first, so the teacher can show it before checking.
        if (quiz.class_mode()) {
          if (ImGui::RadioButton(label.c_str(), picked_ == i)) picked_ = i;
        } else if (ImGui::Button(label.c_str())) {
          check(std::to_string(i + 1));
        }
        ImGui::PopID();
      }
      if (quiz.class_mode()) {
        ImGui::BeginDisabled(!picked_);
        if (ImGui::Button("Check") && picked_) check(std::to_string(*picked_ + 1));
        ImGui::EndDisabled();
        ImGui::SameLine();
      }
    } else {
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
      const bool entered =
          ImGui::InputTextWithHint("##answer", quiz.class_mode() ? "the room's answer" : "answer",
                                   &answer_, ImGuiInputTextFlags_EnterReturnsTrue);
      ImGui::SameLine();
      if (ImGui::Button("Check") || entered) check(answer_);
      ImGui::SameLine();
    }
    if (!question.hint.empty()) {
      if (ImGui::Button("Hint")) hint_ = session.hint();
      ImGui::SameLine();
    }
    if (ImGui::Button("Give up")) session.give_up();
    if (!hint_.empty()) {
      ImGui::PushTextWrapPos(0);
      coloured_text(context.palette->dim_text, "Hint: " + hint_);
      ImGui::PopTextWrapPos();
    }
    if (verdict_ == lesson::Verdict::Wrong) coloured_text(kWrong, "Not right. Try again.");
    if (verdict_ == lesson::Verdict::Unreadable)
      coloured_text(context.palette->dim_text, question.choices.empty()
                                                   ? "Type an answer first."
                                                   : "Pick a choice by its number or text.");
    return;
  }

  const lesson::QuestionResult& result = session.result(index);
  if (result.correct)
    coloured_text(kRight, "Right!");
  else
    coloured_text(kWrong, "The answer: " + question.answer_text());
  ImGui::PushTextWrapPos(0);
  if (!question.explanation.empty()) ImGui::TextUnformatted(question.explanation.c_str());
  ImGui::PopTextWrapPos();
  const std::string go = "Go to step " + std::to_string(question.step + 1);
  if (ImGui::Button(go.c_str())) context.model->transport().go_to(question.step);
  ImGui::SameLine();
  if (ImGui::Button("Continue")) session.close();
}

}  // namespace reqtrace::ui
