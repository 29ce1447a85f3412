#include "ui/help_overlay.hpp"

namespace reqtrace::ui {
namespace {

struct Key {
  const char* keys;
  const char* does;
};

constexpr Key kKeys[] = {
    {"← / →", "previous / next step"},
    {"Space", "play / pause"},
    {"Home / End", "first / last step (End follows a live run)"},
    {"1 / 2 / 3", "detail level: overview, server internals, framework internals"},
    {"Ctrl + = / Ctrl + -", "larger / smaller text (1× to 3×)"},
    {"F11", "full screen"},
    {"F1", "this help"},
    {"Ctrl + O", "open a trace or a scenario"},
    {"Timeline", "wheel: zoom · drag: pan · double-click: fit · click: pick an event"},
    {"Tables", "click a row or a column to go to its step"},
};

}  // namespace

void HelpOverlay::draw(const ViewContext& context) {
  if (!open_) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                                 viewport->WorkPos.y + viewport->WorkSize.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowFocus();
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_AlwaysAutoResize |
                                      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoCollapse;
  if (ImGui::Begin("Keyboard (F1 to close)", &open_, kFlags)) {
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
      for (const Key& key : kKeys) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::PushStyleColor(ImGuiCol_Text, context.palette->cursor);
        ImGui::TextUnformatted(key.keys);
        ImGui::PopStyleColor();
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(key.does);
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

}  // namespace reqtrace::ui
