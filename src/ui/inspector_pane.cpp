#include "ui/inspector_pane.hpp"

#include <imgui_stdlib.h>

#include "ui/widgets.hpp"

namespace reqtrace::ui {
namespace {

void key_value_table(const char* id, const std::vector<lesson::KeyValue>& rows,
                     const std::string& filter = "") {
  constexpr ImGuiTableFlags kFlags =
      ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable(id, 2, kFlags)) return;
  ImGui::TableSetupColumn("Key", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch, 1.6f);
  for (const auto& row : rows) {
    if (!filter.empty() && row.key.find(filter) == std::string::npos &&
        row.value.find(filter) == std::string::npos)
      continue;
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(row.key.c_str());
    ImGui::TableSetColumnIndex(1);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(row.value.empty() ? "''" : row.value.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndTable();
}

void raw_bytes(const lesson::RawBytes& raw, const ViewContext& context) {
  ImGui::PushFont(context.fonts->mono);
  for (const auto& line : raw.lines) {
    bool first = true;
    for (const auto& run : line) {
      if (!first) ImGui::SameLine(0, 0);
      first = false;
      if (run.marker)
        coloured_text(context.palette->marker_text, run.text);
      else
        ImGui::TextUnformatted(run.text.c_str());
    }
    if (line.empty()) ImGui::NewLine();
  }
  ImGui::PopFont();
}

}  // namespace

void InspectorPane::draw_content(ViewContext& context) {
  lesson::ViewerModel& model = *context.model;
  const auto selected = model.selected_event();
  if (!selected) return;
  if (selected != shown_event_ || context.events().size() < shown_events_total_) {
    view_ = lesson::inspect(context.events()[*selected]);
    shown_event_ = selected;
  }
  shown_events_total_ = context.events().size();
  const Palette& palette = *context.palette;

  ImGui::PushFont(context.fonts->heading);
  ImGui::TextUnformatted(view_.heading.c_str());
  ImGui::PopFont();
  if (selected != model.current_event())
    coloured_text(palette.dim_text, "(picked on the timeline; step to return to the current step)");
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(view_.message.c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();

  if (!view_.changes.empty() &&
      ImGui::CollapsingHeader("Tracked variables set here", ImGuiTreeNodeFlags_DefaultOpen))
    key_value_table("changes", view_.changes);
  if ((!view_.status.empty() || !view_.headers.empty()) &&
      ImGui::CollapsingHeader("Status and headers", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (!view_.status.empty()) {
      ImGui::PushFont(context.fonts->mono);
      ImGui::Text("Status: %s", view_.status.c_str());
      ImGui::PopFont();
    }
    key_value_table("headers", view_.headers);
  }
  for (std::size_t r = 0; r < view_.raw.size(); ++r) {
    const auto& raw = view_.raw[r];
    const std::string title =
        raw.title + " (" + std::to_string(raw.size) + " bytes)##raw" + std::to_string(r);
    if (ImGui::CollapsingHeader(title.c_str(), ImGuiTreeNodeFlags_DefaultOpen))
      raw_bytes(raw, context);
  }
  if (!view_.environ_rows.empty() &&
      ImGui::CollapsingHeader("environ (sorted by key)", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    ImGui::InputTextWithHint("##environ-filter", "filter, e.g. HTTP_", &environ_filter_);
    key_value_table("environ", view_.environ_rows, environ_filter_);
  }
  if (!view_.other.empty() && ImGui::CollapsingHeader("Other data", ImGuiTreeNodeFlags_DefaultOpen))
    key_value_table("other", view_.other);
  if (!view_.data_problem.empty()) coloured_text(palette.problem_text, view_.data_problem);
  if (ImGui::CollapsingHeader("Event")) key_value_table("facts", view_.facts);
}

}  // namespace reqtrace::ui
