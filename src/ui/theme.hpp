// Projection themes (dark, light, high contrast) and the colours the panes draw with.
#pragma once

#include <imgui.h>

#include <string_view>

namespace reqtrace::ui {

enum class Theme { Dark, Light, HighContrast };

std::string_view name_of(Theme theme);

// Colours with a meaning in the lesson, chosen per theme so that they read on
// a projector: the current row, a changed value, the lit box.
struct Palette {
  ImU32 current_row;   // the current step's row and column background
  ImU32 row_marker;    // the strip at the left of the current row
  ImU32 changed_cell;  // a value that changed at this step
  ImU32 changed_text;
  ImU32 dim_text;   // "·", captions, steps the class has not reached
  ImU32 cursor;     // the timeline's current-step line
  ImU32 selection;  // the picked event's ring
  ImU32 lane_band;  // every other timeline lane
  ImU32 group;      // several events merged into one mark
  ImU32 box;        // flow diagram box
  ImU32 box_border;
  ImU32 lit_box;  // the box acting at the current step
  ImU32 lit_box_text;
  ImU32 arrow;
  ImU32 arrow_active;
  ImU32 marker_text;   // \r\n and other made-visible bytes
  ImU32 problem_back;  // the banner for a bad file or a failed run
  ImU32 problem_text;
  ImU32 key_moment_back;
  ImU32 live;  // "serving" and "running" indicators
  ImU32 wait;  // a thread waiting for the GIL, on the timeline
  float request_saturation;
  float request_value;
};

const Palette& palette(Theme theme);

// Sets Dear ImGui's colours and sizes for `theme` at font scale `scale`.
void apply_theme(Theme theme, float scale);

// Each request's colour, the same in every pane: hues spread by the golden ratio.
ImU32 request_colour(int req, const Palette& palette, float alpha = 1.0f);

}  // namespace reqtrace::ui
