#include "ui/layout.hpp"

#include <algorithm>

namespace reqtrace::ui {

PaneLayout lay_out_panes(const Rect& area, float transport_height, float problem_height,
                         std::size_t timeline_lanes) {
  const float font_size = ImGui::GetFontSize();
  const ImGuiStyle& style = ImGui::GetStyle();
  PaneLayout layout;
  const float x = area.pos.x, width = area.size.x;
  float y = area.pos.y;
  layout.transport = {ImVec2(x, y), ImVec2(width, transport_height)};
  y += transport_height;
  layout.problem = {ImVec2(x, y), ImVec2(width, problem_height)};
  y += problem_height;
  const float rest = std::max(area.pos.y + area.size.y - y, font_size * 12);

  // The timeline across the top: real time needs the whole width.
  const float lanes = static_cast<float>(std::clamp<std::size_t>(timeline_lanes, 3, 4));
  const float timeline_needs = ImGui::GetFrameHeight() * 2 + style.ItemSpacing.y +
                               style.WindowPadding.y * 2 + lanes * font_size * 1.5f;
  const float timeline_height = std::min(std::max(rest * 0.25f, timeline_needs), rest * 0.4f);
  layout.timeline = {ImVec2(x, y), ImVec2(width, timeline_height)};
  y += timeline_height;

  // Left, the two tables over each other (the same variables, read across);
  // right, the picture, the story and the details.
  const float below = rest - timeline_height;
  const float left_width = width * 0.6f, right_width = width - left_width;
  const float table_height = below * 0.58f;
  layout.steps = {ImVec2(x, y), ImVec2(left_width, table_height)};
  layout.tracker = {ImVec2(x, y + table_height), ImVec2(left_width, below - table_height)};
  const float flow_height = below * 0.3f, narration_height = below * 0.27f;
  const float right = x + left_width;
  layout.flow = {ImVec2(right, y), ImVec2(right_width, flow_height)};
  layout.narration = {ImVec2(right, y + flow_height), ImVec2(right_width, narration_height)};
  layout.details = {ImVec2(right, y + flow_height + narration_height),
                    ImVec2(right_width, below - flow_height - narration_height)};
  return layout;
}

}  // namespace reqtrace::ui
