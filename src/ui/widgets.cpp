#include "ui/widgets.hpp"

namespace reqtrace::ui {

void keep_on_line(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

float button_width(const char* label) {
  const char* end = label;
  while (*end && !(end[0] == '#' && end[1] == '#')) ++end;
  return ImGui::CalcTextSize(label, end).x + ImGui::GetStyle().FramePadding.x * 2;
}

void coloured_text(ImU32 colour, std::string_view text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopStyleColor();
}

void clipped_text(std::string_view text) {
  const float avail = ImGui::GetContentRegionAvail().x;
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  if (ImGui::IsItemHovered() &&
      ImGui::CalcTextSize(text.data(), text.data() + text.size()).x > avail) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

}  // namespace reqtrace::ui
