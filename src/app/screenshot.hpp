// Rendering a frame off screen at an exact size and saving it as a PNG, for tests and the README.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace reqtrace::app {

// An OpenGL framebuffer of a fixed size: frames drawn while it is bound land
// here, not on the screen, so a 3840×2160 shot works on a 1280×800 display.
class OffscreenFrame {
 public:
  OffscreenFrame(int width, int height);
  ~OffscreenFrame();
  OffscreenFrame(const OffscreenFrame&) = delete;
  OffscreenFrame& operator=(const OffscreenFrame&) = delete;

  bool complete() const { return complete_; }
  void bind() const;
  void unbind() const;
  // The pixels as RGBA rows, top row first.
  std::vector<std::uint8_t> read_rgba() const;
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  int width_, height_;
  unsigned framebuffer_ = 0, colour_ = 0;
  bool complete_ = false;
};

// Writes RGBA rows, top first, as a PNG; false with `error` set when it cannot.
bool write_png(const std::filesystem::path& path, int width, int height,
               const std::vector<std::uint8_t>& rgba, std::string& error);

}  // namespace reqtrace::app
