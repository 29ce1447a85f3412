#include "ui/view.hpp"

#include <algorithm>

namespace reqtrace::ui {

void View::draw(const Rect& area, ViewContext& context) {
  ImGui::SetNextWindowPos(area.pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(area.size, ImGuiCond_Always);
  // Panes tile the window and the frame is cleared to the window colour, so a
  // pane paints no background of its own: blending a screenful of pixels again
  // is most of a frame's cost on a software renderer.
  ImGui::SetNextWindowBgAlpha(0.0f);
  constexpr ImGuiWindowFlags kPinned =
      ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  // Begin() always pairs with End(), even when the window is clipped away.
  if (ImGui::Begin(title_, nullptr, kPinned | extra_flags())) draw_body(context);
  ImGui::End();
}

void View::draw_body(ViewContext& context) {
  if (context.has_steps() || shows_without_steps())
    draw_content(context);
  else
    empty_state(empty_text_, *context.palette);
}

void empty_state(const char* text, const Palette& palette) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float wrap = avail.x * 0.9f;
  const ImVec2 size = ImGui::CalcTextSize(text, nullptr, false, wrap);
  const ImVec2 start = ImGui::GetCursorPos();
  ImGui::SetCursorPos(ImVec2(start.x + (avail.x - size.x) * 0.5f,
                             start.y + std::max(0.0f, (avail.y - size.y) * 0.4f)));
  ImGui::PushStyleColor(ImGuiCol_Text, palette.dim_text);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

}  // namespace reqtrace::ui
