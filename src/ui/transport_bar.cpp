#include "ui/transport_bar.hpp"

#include <algorithm>
#include <cstdio>

#include "ui/widgets.hpp"

namespace reqtrace::ui {
namespace {

const char* speed_label(double speed) {
  if (speed == 0.25) return "0.25×";
  if (speed == 0.5) return "0.5×";
  if (speed == 1.0) return "1×";
  if (speed == 2.0) return "2×";
  return "4×";
}

bool button(const char* label, bool enabled) {
  ImGui::BeginDisabled(!enabled);
  const bool pressed = ImGui::Button(label);
  ImGui::EndDisabled();
  return pressed;
}

}  // namespace

void TransportBar::draw_content(ViewContext& context) {
  draw_steps(context);
  draw_level(context);
  draw_scrub(context);
  draw_run(context);
  height_ =
      ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y - ImGui::GetStyle().ItemSpacing.y;
}

void TransportBar::draw_steps(ViewContext& context) {
  const bool have = context.has_steps();
  lesson::Transport* transport = have ? &context.model->transport() : nullptr;
  if (button("⇤ First", have && !transport->at_first())) transport->first();
  keep_on_line(button_width("◀ Back"));
  if (button("◀ Back", have && !transport->at_first())) transport->back();
  const bool playing = have && transport->playing();
  keep_on_line(button_width("❚❚ Pause"));
  if (button(playing ? "❚❚ Pause###play" : "▶ Play###play", have)) transport->toggle_play();
  keep_on_line(button_width("Next ▶"));
  if (button("Next ▶", have && !transport->at_last())) transport->next();
  keep_on_line(button_width("Last ⇥"));
  if (button("Last ⇥", have && !transport->at_last())) transport->last();

  const float speed_width = ImGui::CalcTextSize("0.25×").x + ImGui::GetFrameHeight() * 1.6f;
  keep_on_line(speed_width);
  ImGui::SetNextItemWidth(speed_width);
  ImGui::BeginDisabled(!have);
  if (ImGui::BeginCombo("##speed", speed_label(have ? transport->speed() : 1.0))) {
    for (double speed : lesson::Transport::kSpeeds)
      if (ImGui::Selectable(speed_label(speed), have && transport->speed() == speed))
        transport->set_speed(speed);
    ImGui::EndCombo();
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play speed: steps per second");

  char counter[64];
  if (have)
    std::snprintf(counter, sizeof counter, "Step %zu of %zu", transport->step() + 1,
                  transport->count());
  else
    std::snprintf(counter, sizeof counter, "No steps yet");
  ImGui::PushFont(context.fonts->heading);
  keep_on_line(ImGui::CalcTextSize(counter).x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(counter);
  ImGui::PopFont();
}

void TransportBar::draw_level(ViewContext& context) {
  const bool have_model = context.model != nullptr;
  static constexpr const char* kLevels[] = {"1 Overview", "2 Server internals",
                                            "3 Framework internals"};
  float levels_width = ImGui::CalcTextSize("Level").x;
  for (const char* label : kLevels)
    levels_width += ImGui::CalcTextSize(label).x + ImGui::GetFrameHeight() * 1.6f;
  keep_on_line(levels_width);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Level");
  ImGui::BeginDisabled(!have_model);
  for (int level = 1; level <= 3; ++level) {
    ImGui::SameLine();
    if (ImGui::RadioButton(kLevels[level - 1], have_model && context.model->level() == level))
      context.model->set_level(context.events(), level);
  }
  ImGui::EndDisabled();
}

void TransportBar::draw_scrub(ViewContext& context) {
  const bool have = context.has_steps();
  const int count = have ? static_cast<int>(context.model->transport().count()) : 1;
  const float go_width = ImGui::CalcTextSize("Go to step").x + ImGui::GetFontSize() * 5 +
                         button_width("Go") + ImGui::GetStyle().ItemSpacing.x * 3;
  const float run_width = button_width("Run") + button_width("Live") + button_width("Stop") +
                          button_width("Open…") + ImGui::GetStyle().ItemSpacing.x * 4;
  ImGui::SetNextItemWidth(
      std::max(ImGui::GetFontSize() * 8, ImGui::GetContentRegionAvail().x - go_width - run_width));
  int step = have ? static_cast<int>(context.model->transport().step()) + 1 : 1;
  ImGui::BeginDisabled(!have);
  if (ImGui::SliderInt("##scrub", &step, 1, count, "Step %d", ImGuiSliderFlags_AlwaysClamp) && have)
    context.model->transport().go_to(static_cast<std::size_t>(step - 1));
  keep_on_line(go_width);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Go to step");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  const bool entered =
      ImGui::InputInt("##go-to", &go_to_step_, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Go") || entered) && have && go_to_step_ >= 1)
    context.model->transport().go_to(static_cast<std::size_t>(std::min(go_to_step_, count) - 1));
  ImGui::EndDisabled();
}

void TransportBar::draw_run(ViewContext& context) {
  const bool have_model = context.model != nullptr;
  const bool busy = context.run.busy();
  keep_on_line(button_width("Run") + button_width("Live") + button_width("Stop") +
               ImGui::GetStyle().ItemSpacing.x * 3);
  if (button("Run", context.can_run && !busy)) context.actions->run();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Run the scenario's real server and send its requests");
  ImGui::SameLine();
  if (button("Live", context.can_run && !busy)) context.actions->live();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Keep the server up: point curl or a browser at it and watch");
  ImGui::SameLine();
  if (button("Stop", busy)) context.actions->stop();
  ImGui::SameLine();
  if (ImGui::Button("Open…")) wants_open_dialog_ = true;

  if (context.session && context.session->origin() == trace::Session::Origin::Live && have_model) {
    keep_on_line(ImGui::CalcTextSize("Follow live").x + ImGui::GetFrameHeight() * 1.5f);
    bool following = context.model->transport().following();
    if (ImGui::Checkbox("Follow live", &following))
      context.model->transport().set_following(following);
  }
  if (!context.run.text.empty()) {
    const bool failed = context.run.state == RunStatus::State::Failed;
    const ImU32 colour = failed ? context.palette->problem_text
                                : (busy ? context.palette->live : context.palette->dim_text);
    const std::string text = (busy ? "● " : "") + context.run.text;
    keep_on_line(std::min(ImGui::CalcTextSize(text.c_str()).x, ImGui::GetFontSize() * 20));
    ImGui::AlignTextToFramePadding();
    if (failed) {
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const ImVec2 size = ImGui::CalcTextSize(text.c_str());
      ImGui::GetWindowDrawList()->AddRectFilled(
          at, ImVec2(at.x + size.x, at.y + ImGui::GetFrameHeight()), context.palette->problem_back);
    }
    coloured_text(colour, text);
  }
}

}  // namespace reqtrace::ui
