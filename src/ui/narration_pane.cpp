#include "ui/narration_pane.hpp"

#include "ui/widgets.hpp"

namespace reqtrace::ui {

void NarrationPane::draw_content(ViewContext& context) {
  if (!context.model) {
    empty_state("Open a scenario or a trace: its story is told here, step by step.",
                *context.palette);
    return;
  }
  const lesson::ViewerModel& model = *context.model;
  const scenario::Scenario& scenario = model.scenario();
  const Palette& palette = *context.palette;
  ImGui::PushTextWrapPos(0);
  if (!context.has_steps()) {
    ImGui::PushFont(context.fonts->heading);
    ImGui::TextUnformatted(scenario.title.c_str());
    ImGui::PopFont();
    ImGui::TextUnformatted(scenario.summary.c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  const lesson::NarrationView narration = model.narration(context.events());
  ImGui::PushFont(context.fonts->heading);
  ImGui::TextUnformatted(narration.action.c_str());
  ImGui::PopFont();
  if (!narration.words.empty()) {
    ImGui::Spacing();
    ImGui::TextUnformatted(narration.words.c_str());
  }
  for (const scenario::KeyMoment* moment : narration.key_moments) {
    ImGui::Spacing();
    // A tinted block, so a key moment stands out on a projector.
    const ImVec2 start = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->ChannelsSplit(2);
    draw->ChannelsSetCurrent(1);
    ImGui::Indent(ImGui::GetFontSize() * 0.4f);
    coloured_text(palette.cursor, "★ Key moment: " + moment->title);
    if (!moment->text.empty()) ImGui::TextUnformatted(moment->text.c_str());
    ImGui::Unindent(ImGui::GetFontSize() * 0.4f);
    const ImVec2 end(start.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y);
    draw->ChannelsSetCurrent(0);
    draw->AddRectFilled(ImVec2(start.x - 2, start.y - 2), end, palette.key_moment_back, 4);
    draw->ChannelsMerge();
  }
  if (narration.last_step && !scenario.snapshot.empty()) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::PushFont(context.fonts->heading);
    ImGui::TextUnformatted("Concept snapshot");
    ImGui::PopFont();
    for (const auto& line : scenario.snapshot) ImGui::BulletText("%s", line.c_str());
  }
  ImGui::PopTextWrapPos();
}

}  // namespace reqtrace::ui
