// Small drawing aids the panes share: wrapping a row of buttons, text in a colour, cell colours.
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>

namespace reqtrace::ui {

// Puts the next item on this line if `width` pixels still fit, else on the next.
void keep_on_line(float width);
// The width a button with `label` takes.
float button_width(const char* label);
void coloured_text(ImU32 colour, std::string_view text);
// Text clipped to the cell, with the whole of it in a tooltip when it did not fit.
void clipped_text(std::string_view text);

}  // namespace reqtrace::ui
