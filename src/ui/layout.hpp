// Where each pane goes in the window, recomputed every frame so a font size or window change
// reflows all.
#pragma once

#include <cstddef>

#include "ui/view.hpp"

namespace reqtrace::ui {

struct PaneLayout {
  Rect transport, problem, timeline, steps, tracker, flow, narration;
  Rect details;  // the inspector and the quiz, as tabs
};

// `area` is the window below the menu bar; `transport_height` what the
// transport bar took last frame; `problem_height` 0 when no banner shows.
// The timeline gets room for at least `timeline_lanes` lanes (up to four; more scroll).
PaneLayout lay_out_panes(const Rect& area, float transport_height, float problem_height,
                         std::size_t timeline_lanes);

}  // namespace reqtrace::ui
