#include "ui/tracker_pane.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "ui/widgets.hpp"

namespace reqtrace::ui {
namespace {

// Dear ImGui 1.86 tables hold at most 64 columns: Variable, Start and Final leave the rest.
constexpr std::size_t kMaxChangeColumns = 40;

// Values wrap inside their column: a tracker row is read across, all of it.
void cell(const lesson::TrackerCell& value, const Palette& palette) {
  ImGui::PushTextWrapPos(0);
  if (value.changed && !value.future) {
    ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, palette.changed_cell);
    ImGui::PushStyleColor(ImGuiCol_Text, palette.changed_text);
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, value.future || value.text == "·"
                                             ? palette.dim_text
                                             : ImGui::GetColorU32(ImGuiCol_Text));
  }
  ImGui::TextUnformatted(value.text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

}  // namespace

void TrackerPane::draw_content(ViewContext& context) {
  lesson::ViewerModel& model = *context.model;
  const Palette& palette = *context.palette;
  if (model.walkthrough().variable_count() == 0) {
    empty_state("This scenario tracks no variables.", palette);
    return;
  }
  // As many change columns as fit at a readable width, centred on the current step: a
  // narrow pane shows fewer, never a scrollbar hiding the current one.
  float label_width = 0;
  for (std::size_t v = 0; v < model.walkthrough().variable_count(); ++v)
    label_width =
        std::max(label_width, ImGui::CalcTextSize(model.walkthrough().variable(v).label.c_str()).x);
  label_width += ImGui::GetFrameHeight() * 2 + ImGui::GetStyle().ItemSpacing.x * 2;
  const float value_width = ImGui::GetFontSize() * 6.5f;
  const float room = (ImGui::GetContentRegionAvail().x - label_width) / value_width - 2;
  const auto fitting =
      static_cast<std::size_t>(std::clamp(room, 1.0f, static_cast<float>(kMaxChangeColumns)));
  const lesson::TrackerView tracker = model.tracker(fitting);

  const int columns = 3 + static_cast<int>(tracker.columns.size());
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_Borders |
                                     ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchSame;
  if (!ImGui::BeginTable("tracker", columns, kFlags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Variable", ImGuiTableColumnFlags_WidthFixed, label_width);
  ImGui::TableSetupColumn("Start");
  std::vector<std::string> headers;
  for (std::size_t step : tracker.columns)
    headers.push_back("After step " + std::to_string(step + 1));
  for (const auto& header : headers) ImGui::TableSetupColumn(header.c_str());
  ImGui::TableSetupColumn("Final");

  // Headers by hand, so a change column can be clicked to go to its step.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int c = 0; c < columns; ++c) {
    ImGui::TableSetColumnIndex(c);
    const int change = c - 2;
    const bool is_change_column = change >= 0 && change < static_cast<int>(tracker.columns.size());
    const bool is_current = is_change_column && tracker.current_column &&
                            static_cast<std::size_t>(change) == *tracker.current_column;
    if (is_current) {
      ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, palette.current_row);
    }
    ImGui::PushID(c);
    ImGui::TableHeader(ImGui::TableGetColumnName(c));
    if (c == 0 && ImGui::IsItemHovered())
      ImGui::SetTooltip("· unchanged at that step; dimmed: not reached yet.%s",
                        tracker.more_before || tracker.more_after
                            ? "\nOnly the changes around the current step are shown."
                            : "");
    if (is_change_column && ImGui::IsItemClicked())
      model.transport().go_to(tracker.columns[static_cast<std::size_t>(change)]);
    ImGui::PopID();
  }

  for (std::size_t v = 0; v < tracker.rows.size(); ++v) {
    const lesson::TrackerRow& row = tracker.rows[v];
    ImGui::TableNextRow();
    ImGui::PushID(static_cast<int>(v));
    ImGui::TableSetColumnIndex(0);
    ImGui::BeginDisabled(!row.previous_change);
    if (ImGui::ArrowButton("##previous", ImGuiDir_Left) && row.previous_change)
      model.transport().go_to(*row.previous_change);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("Previous change of %s", row.label.c_str());
    ImGui::SameLine(0, 2);
    ImGui::BeginDisabled(!row.next_change);
    if (ImGui::ArrowButton("##next", ImGuiDir_Right) && row.next_change)
      model.transport().go_to(*row.next_change);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("Next change of %s", row.label.c_str());
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(row.label.c_str());
    ImGui::TableSetColumnIndex(1);
    cell({row.start, false, false}, palette);
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      ImGui::TableSetColumnIndex(static_cast<int>(c) + 2);
      if (tracker.current_column && c == *tracker.current_column && !row.cells[c].changed)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, palette.current_row);
      cell(row.cells[c], palette);
    }
    ImGui::TableSetColumnIndex(columns - 1);
    cell(row.final_value, palette);
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace reqtrace::ui
