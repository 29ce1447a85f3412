// The classroom fonts: DejaVu Sans and Sans Mono at the chosen scale, from assets/ or Debian's
// package.
#pragma once

#include <imgui.h>

#include <filesystem>
#include <string>
#include <vector>

namespace reqtrace::ui {

inline constexpr float kBaseFontPixels = 18.0f;  // at 1×: readable at 1280×720
inline constexpr float kMinFontScale = 1.0f;
inline constexpr float kMaxFontScale = 3.0f;

struct Fonts {
  ImFont* text = nullptr;     // DejaVu Sans
  ImFont* heading = nullptr;  // the same, larger, for step titles
  ImFont* mono = nullptr;     // DejaVu Sans Mono, for raw bytes
  std::string source;         // where the text font came from, for the About line
  std::string problem;        // set when DejaVu was not found and ImGui's own font is used
};

// Where fonts are looked for, first found wins: <data dir>/assets/fonts, then
// /usr/share/fonts/truetype/dejavu (fonts-dejavu-core).
std::vector<std::filesystem::path> font_dirs(const std::filesystem::path* data_dir);

// Clears `atlas` and loads the fonts at kBaseFontPixels × scale. Call between
// frames; the renderer's font texture must be rebuilt afterwards.
Fonts load_fonts(ImFontAtlas& atlas, float scale, const std::vector<std::filesystem::path>& dirs);

}  // namespace reqtrace::ui
