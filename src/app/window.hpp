// The viewer's OS window: GLFW, an OpenGL 3.3 context, Dear ImGui's context and its GLFW/OpenGL
// backends.
#pragma once

#include <imgui.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ui/fonts.hpp"
#include "ui/viewer.hpp"

struct GLFWwindow;

namespace reqtrace::app {

class Window {
 public:
  struct Options {
    int width = 1280;
    int height = 720;
    bool visible = true;  // hidden for screenshots, which render off screen
    bool vsync = true;    // off for the bench
    std::string title = "reqtrace";
  };

  // True when $DISPLAY or $WAYLAND_DISPLAY is set: a window may be possible.
  static bool display_available();
  // nullptr with `error` set when there is no display or no OpenGL 3.3.
  static std::unique_ptr<Window> open(const Options& options, std::string& error);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  bool should_close() const;
  void close();
  // Waits up to `seconds` for input (0: only polls), so an idle viewer sleeps.
  void wait_for_input(double seconds);
  // From any thread: ends a wait_for_input early, e.g. when a run sends events.
  void wake();

  // Starts a Dear ImGui frame; `forced_size`, when not zero, replaces the window's
  // size (screenshots render at a size the screen may not have).
  void new_frame(ImVec2 forced_size = ImVec2(0, 0));
  // Renders the frame into whatever framebuffer is bound; swaps when `present`.
  void render(bool present);
  // Shows what render() drew (swaps the buffers).
  void present();

  void set_title(const std::string& title);
  void toggle_fullscreen();
  // Loads the fonts at `scale` and rebuilds the renderer's font texture; between frames only.
  ui::Fonts load_fonts(float scale, const std::vector<std::filesystem::path>& dirs);
  // Paths dropped on the window since the last call.
  std::vector<std::string> take_dropped();
  ui::KeyCodes key_codes() const;

 private:
  explicit Window(GLFWwindow* handle) : handle_(handle) {}
  static void on_drop(GLFWwindow* handle, int count, const char** paths);

  GLFWwindow* handle_;
  std::mutex dropped_mutex_;
  std::vector<std::string> dropped_;
  bool fullscreen_ = false;
  int windowed_[4] = {0, 0, 1280, 720};  // x, y, width, height before full screen
};

}  // namespace reqtrace::app
