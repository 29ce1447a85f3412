#include "ui/fonts.hpp"

#include <system_error>

namespace reqtrace::ui {
namespace {

// Latin, punctuation (• … –), arrows (→ ⇤ ⇥), shapes (▶ ◀ ●), ★ and ❚: what the panes use.
const ImWchar kGlyphs[] = {0x0020, 0x017F, 0x2010, 0x205E, 0x2190, 0x21FF, 0x2500,
                           0x25FF, 0x2600, 0x26FF, 0x2700, 0x27BF, 0};

std::filesystem::path find(const std::vector<std::filesystem::path>& dirs, const char* name) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / name, ec)) return dir / name;
  }
  return {};
}

}  // namespace

std::vector<std::filesystem::path> font_dirs(const std::filesystem::path* data_dir) {
  std::vector<std::filesystem::path> dirs;
  if (data_dir) dirs.push_back(*data_dir / "assets" / "fonts");
  dirs.emplace_back("/usr/share/fonts/truetype/dejavu");
  return dirs;
}

Fonts load_fonts(ImFontAtlas& atlas, float scale, const std::vector<std::filesystem::path>& dirs) {
  atlas.Clear();
  Fonts fonts;
  const float size = kBaseFontPixels * scale;
  ImFontConfig config;
  config.OversampleH = 2;  // crisp enough, and a 3× atlas still fits one texture
  config.OversampleV = 1;
  const auto sans = find(dirs, "DejaVuSans.ttf");
  const auto mono = find(dirs, "DejaVuSansMono.ttf");
  if (!sans.empty()) {
    fonts.text = atlas.AddFontFromFileTTF(sans.c_str(), size, &config, kGlyphs);
    fonts.heading = atlas.AddFontFromFileTTF(sans.c_str(), size * 1.3f, &config, kGlyphs);
    fonts.source = sans.string();
  }
  if (!mono.empty()) fonts.mono = atlas.AddFontFromFileTTF(mono.c_str(), size, &config, kGlyphs);
  if (!fonts.text) {
    ImFontConfig fallback;
    fallback.SizePixels = size;
    fonts.text = atlas.AddFontDefault(&fallback);
    fonts.heading = fonts.text;
    fonts.source = "Dear ImGui's built-in font";
    fonts.problem =
        "DejaVu Sans was not found (install fonts-dejavu-core or put DejaVuSans.ttf in "
        "assets/fonts/); using a small built-in font";
  }
  if (!fonts.mono) fonts.mono = fonts.text;
  atlas.Build();
  return fonts;
}

}  // namespace reqtrace::ui
