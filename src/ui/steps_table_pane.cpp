#include "ui/steps_table_pane.hpp"

#include <string>

#include "ui/widgets.hpp"

namespace reqtrace::ui {

void StepsTablePane::draw_content(ViewContext& context) {
  lesson::ViewerModel& model = *context.model;
  const auto& events = context.events();
  const auto& walkthrough = model.walkthrough();
  const std::size_t current = model.transport().step();
  const bool moved = current != shown_step_ || model.level() != shown_level_;
  shown_step_ = current;
  shown_level_ = model.level();

  const int columns = 2 + static_cast<int>(walkthrough.variable_count());
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                     ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                     ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  const float table_left = ImGui::GetCursorScreenPos().x;
  if (!ImGui::BeginTable("steps", columns, kFlags)) return;
  const float digits = ImGui::CalcTextSize("00000").x + 8.0f * context.scale;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Step", ImGuiTableColumnFlags_WidthFixed, digits);
  ImGui::TableSetupColumn("Action", ImGuiTableColumnFlags_WidthStretch, 2.2f);
  for (std::size_t v = 0; v < walkthrough.variable_count(); ++v)
    ImGui::TableSetupColumn(walkthrough.variable(v).label.c_str(),
                            ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableHeadersRow();

  const float row_height = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(walkthrough.step_count()), row_height);
  if (moved)
    clipper.ForceDisplayRangeByIndices(static_cast<int>(current), static_cast<int>(current) + 1);
  const Palette& palette = *context.palette;
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      const auto step = static_cast<std::size_t>(r);
      const bool is_current = step == current;
      ImGui::TableNextRow(ImGuiTableRowFlags_None, row_height);
      if (is_current) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, palette.current_row);
      const lesson::ExecutionRow row = model.row(events, step);

      ImGui::TableSetColumnIndex(0);
      if (is_current) {
        // A solid strip at the row's left edge: the current row at a glance, and what the
        // screenshot tests look for.
        const float top = ImGui::GetCursorScreenPos().y - ImGui::GetStyle().CellPadding.y;
        const float strip = 6.0f * context.scale;
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(table_left, top),
                                                  ImVec2(table_left + strip, top + row_height),
                                                  palette.row_marker);
        if (moved) ImGui::SetScrollHereY(0.5f);
      }
      ImGui::PushID(r);
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + 8.0f * context.scale);  // past the strip
      const std::string number = std::to_string(row.number);
      if (ImGui::Selectable(
              number.c_str(), false,
              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
              ImVec2(0, row_height - ImGui::GetStyle().CellPadding.y * 2)))
        model.transport().go_to(step);
      if (ImGui::IsItemHovered() && !row.narration.empty()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
        ImGui::TextUnformatted(row.action.c_str());
        ImGui::Separator();
        ImGui::TextUnformatted(row.narration.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
      ImGui::PopID();

      ImGui::TableSetColumnIndex(1);
      clipped_text(row.action);
      for (std::size_t v = 0; v < row.values.size(); ++v) {
        ImGui::TableSetColumnIndex(static_cast<int>(v) + 2);
        if (row.changed[v]) {
          ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, palette.changed_cell);
          ImGui::PushStyleColor(ImGuiCol_Text, palette.changed_text);
          clipped_text(row.values[v]);
          ImGui::PopStyleColor();
        } else {
          clipped_text(row.values[v]);
        }
      }
    }
  }
  ImGui::EndTable();
}

}  // namespace reqtrace::ui
