#include "ui/theme.hpp"

#include <cmath>

namespace reqtrace::ui {
namespace {

constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b, unsigned a = 255) {
  return IM_COL32(r, g, b, a);
}

// Keep in step with tests/ui/screenshot_test.cpp, which finds these on screen.
const Palette kDark = {
    .current_row = rgb(40, 70, 120),
    .row_marker = rgb(255, 140, 26),
    .changed_cell = rgb(30, 95, 60),
    .changed_text = rgb(150, 240, 170),
    .dim_text = rgb(140, 140, 150),
    .cursor = rgb(255, 200, 40),
    .selection = rgb(255, 255, 255),
    .lane_band = rgb(255, 255, 255, 10),
    .group = rgb(150, 150, 160),
    .box = rgb(45, 48, 58),
    .box_border = rgb(110, 115, 130),
    .lit_box = rgb(236, 100, 200),
    .lit_box_text = rgb(255, 255, 255),
    .arrow = rgb(120, 125, 140),
    .arrow_active = rgb(255, 200, 40),
    .marker_text = rgb(255, 150, 90),
    .problem_back = rgb(150, 40, 40),
    .problem_text = rgb(255, 235, 235),
    .key_moment_back = rgb(70, 60, 25),
    .live = rgb(90, 220, 120),
    .wait = rgb(255, 170, 30),
    .request_saturation = 0.60f,
    .request_value = 0.95f,
};

const Palette kLight = {
    .current_row = rgb(190, 215, 250),
    .row_marker = rgb(230, 110, 0),
    .changed_cell = rgb(200, 240, 205),
    .changed_text = rgb(0, 100, 30),
    .dim_text = rgb(110, 110, 120),
    .cursor = rgb(220, 60, 0),
    .selection = rgb(0, 0, 0),
    .lane_band = rgb(0, 0, 0, 12),
    .group = rgb(120, 120, 130),
    .box = rgb(240, 240, 245),
    .box_border = rgb(120, 120, 135),
    .lit_box = rgb(200, 40, 160),
    .lit_box_text = rgb(255, 255, 255),
    .arrow = rgb(130, 130, 145),
    .arrow_active = rgb(220, 60, 0),
    .marker_text = rgb(200, 70, 0),
    .problem_back = rgb(250, 215, 215),
    .problem_text = rgb(120, 0, 0),
    .key_moment_back = rgb(255, 240, 190),
    .live = rgb(0, 140, 40),
    .wait = rgb(200, 110, 0),
    .request_saturation = 0.75f,
    .request_value = 0.80f,
};

const Palette kHighContrast = {
    .current_row = rgb(0, 0, 170),
    .row_marker = rgb(255, 255, 0),
    .changed_cell = rgb(0, 90, 0),
    .changed_text = rgb(255, 255, 255),
    .dim_text = rgb(200, 200, 200),
    .cursor = rgb(255, 255, 0),
    .selection = rgb(0, 255, 255),
    .lane_band = rgb(255, 255, 255, 24),
    .group = rgb(255, 255, 255),
    .box = rgb(0, 0, 0),
    .box_border = rgb(255, 255, 255),
    .lit_box = rgb(255, 0, 255),
    .lit_box_text = rgb(255, 255, 255),
    .arrow = rgb(255, 255, 255),
    .arrow_active = rgb(255, 255, 0),
    .marker_text = rgb(0, 255, 255),
    .problem_back = rgb(200, 0, 0),
    .problem_text = rgb(255, 255, 255),
    .key_moment_back = rgb(90, 70, 0),
    .live = rgb(0, 255, 0),
    .wait = rgb(255, 128, 0),
    .request_saturation = 0.55f,
    .request_value = 1.00f,
};

void high_contrast_colours(ImGuiStyle& style) {
  ImGui::StyleColorsDark(&style);
  ImVec4* colours = style.Colors;
  const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1, 1, 0, 1), blue(0.0f, 0.0f, 0.67f, 1);
  colours[ImGuiCol_Text] = white;
  colours[ImGuiCol_TextDisabled] = ImVec4(0.8f, 0.8f, 0.8f, 1);
  colours[ImGuiCol_WindowBg] = black;
  colours[ImGuiCol_ChildBg] = black;
  colours[ImGuiCol_PopupBg] = black;
  colours[ImGuiCol_Border] = white;
  colours[ImGuiCol_FrameBg] = ImVec4(0.12f, 0.12f, 0.12f, 1);
  colours[ImGuiCol_FrameBgHovered] = blue;
  colours[ImGuiCol_FrameBgActive] = blue;
  colours[ImGuiCol_TitleBg] = ImVec4(0.15f, 0.15f, 0.15f, 1);
  colours[ImGuiCol_TitleBgActive] = ImVec4(0.15f, 0.15f, 0.15f, 1);
  colours[ImGuiCol_MenuBarBg] = ImVec4(0.1f, 0.1f, 0.1f, 1);
  colours[ImGuiCol_Button] = ImVec4(0.2f, 0.2f, 0.2f, 1);
  colours[ImGuiCol_ButtonHovered] = blue;
  colours[ImGuiCol_ButtonActive] = ImVec4(0.3f, 0.3f, 1.0f, 1);
  colours[ImGuiCol_Header] = blue;
  colours[ImGuiCol_HeaderHovered] = ImVec4(0.2f, 0.2f, 0.8f, 1);
  colours[ImGuiCol_HeaderActive] = ImVec4(0.3f, 0.3f, 1.0f, 1);
  colours[ImGuiCol_CheckMark] = yellow;
  colours[ImGuiCol_SliderGrab] = yellow;
  colours[ImGuiCol_SliderGrabActive] = yellow;
  colours[ImGuiCol_TableHeaderBg] = ImVec4(0.15f, 0.15f, 0.15f, 1);
  colours[ImGuiCol_TableBorderStrong] = white;
  colours[ImGuiCol_TableBorderLight] = ImVec4(0.6f, 0.6f, 0.6f, 1);
  colours[ImGuiCol_TableRowBg] = black;
  colours[ImGuiCol_TableRowBgAlt] = ImVec4(0.08f, 0.08f, 0.08f, 1);
}

}  // namespace

std::string_view name_of(Theme theme) {
  switch (theme) {
    case Theme::Dark:
      return "Dark";
    case Theme::Light:
      return "Light";
    case Theme::HighContrast:
      return "High contrast";
  }
  return "";
}

const Palette& palette(Theme theme) {
  switch (theme) {
    case Theme::Light:
      return kLight;
    case Theme::HighContrast:
      return kHighContrast;
    default:
      return kDark;
  }
}

void apply_theme(Theme theme, float scale) {
  ImGuiStyle style;
  switch (theme) {
    case Theme::Dark:
      ImGui::StyleColorsDark(&style);
      break;
    case Theme::Light:
      ImGui::StyleColorsLight(&style);
      style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.97f, 1);
      style.Colors[ImGuiCol_TableRowBgAlt] = ImVec4(0, 0, 0, 0.04f);
      break;
    case Theme::HighContrast:
      high_contrast_colours(style);
      break;
  }
  // Rounded, roomy widgets read better from the back of a classroom.
  style.WindowRounding = 0;
  style.FrameRounding = 4;
  style.GrabRounding = 4;
  style.WindowBorderSize = 1;
  style.FramePadding = ImVec2(8, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.CellPadding = ImVec2(6, 3);
  style.ScrollbarSize = 16;
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

ImU32 request_colour(int req, const Palette& palette, float alpha) {
  if (req == 0) return palette.group;
  const double golden = 0.618033988749895;
  const float hue = static_cast<float>(std::fmod(0.55 + (req - 1) * golden, 1.0));
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(hue, palette.request_saturation, palette.request_value, r, g, b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, alpha));
}

}  // namespace reqtrace::ui
