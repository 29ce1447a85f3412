#include "app/window.hpp"

#include <glad/gl.h>
// glad first: it provides the GL declarations GLFW would otherwise look for.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdlib>

namespace reqtrace::app {
namespace {

std::string last_glfw_error;

void remember_glfw_error(int code, const char* description) {
  last_glfw_error = std::string(description ? description : "unknown") + " (GLFW error " +
                    std::to_string(code) + ")";
}

bool set(const char* name) {
  const char* value = std::getenv(name);
  return value && *value;
}

}  // namespace

bool Window::display_available() {
  return set("DISPLAY") || set("WAYLAND_DISPLAY");
}

std::unique_ptr<Window> Window::open(const Options& options, std::string& error) {
  glfwSetErrorCallback(remember_glfw_error);
  if (!display_available()) {
    error = "no display: neither $DISPLAY nor $WAYLAND_DISPLAY is set";
    return nullptr;
  }
  if (!glfwInit()) {
    error = "cannot open a window: " + last_glfw_error;
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  GLFWwindow* handle =
      glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!handle) {
    error = "cannot open an OpenGL 3.3 window: " + last_glfw_error;
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(handle);
  if (!gladLoadGL(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress))) {
    error = "cannot load the OpenGL functions";
    glfwDestroyWindow(handle);
    glfwTerminate();
    return nullptr;
  }
  glfwSwapInterval(options.vsync ? 1 : 0);

  std::unique_ptr<Window> window(new Window(handle));
  glfwSetWindowUserPointer(handle, window.get());
  glfwSetDropCallback(handle, on_drop);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is computed, there is nothing to remember
  ImGui_ImplGlfw_InitForOpenGL(handle, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  // Made now, so the first load_fonts() replaces a font texture rather than racing the first frame.
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  return window;
}

Window::~Window() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(handle_);
  glfwTerminate();
}

bool Window::should_close() const {
  return glfwWindowShouldClose(handle_);
}

void Window::close() {
  glfwSetWindowShouldClose(handle_, GLFW_TRUE);
}

void Window::wait_for_input(double seconds) {
  if (seconds <= 0)
    glfwPollEvents();
  else
    glfwWaitEventsTimeout(seconds);
}

void Window::wake() {
  glfwPostEmptyEvent();
}

void Window::new_frame(ImVec2 forced_size) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (forced_size.x > 0 && forced_size.y > 0) {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = forced_size;
    io.DisplayFramebufferScale = ImVec2(1, 1);
  }
  ImGui::NewFrame();
}

void Window::render(bool present) {
  ImGui::Render();
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  glViewport(0, 0, static_cast<GLsizei>(size.x * scale.x), static_cast<GLsizei>(size.y * scale.y));
  const ImVec4 back = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(back.x, back.y, back.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (present) this->present();
}

void Window::present() {
  glfwSwapBuffers(handle_);
}

void Window::set_title(const std::string& title) {
  glfwSetWindowTitle(handle_, title.c_str());
}

void Window::toggle_fullscreen() {
  if (fullscreen_) {
    glfwSetWindowMonitor(handle_, nullptr, windowed_[0], windowed_[1], windowed_[2], windowed_[3],
                         0);
    fullscreen_ = false;
    return;
  }
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
  if (!mode) return;
  glfwGetWindowPos(handle_, &windowed_[0], &windowed_[1]);
  glfwGetWindowSize(handle_, &windowed_[2], &windowed_[3]);
  glfwSetWindowMonitor(handle_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
  fullscreen_ = true;
}

ui::Fonts Window::load_fonts(float scale, const std::vector<std::filesystem::path>& dirs) {
  ui::Fonts fonts = ui::load_fonts(*ImGui::GetIO().Fonts, scale, dirs);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  return fonts;
}

void Window::on_drop(GLFWwindow* handle, int count, const char** paths) {
  auto* window = static_cast<Window*>(glfwGetWindowUserPointer(handle));
  std::lock_guard lock(window->dropped_mutex_);
  for (int i = 0; i < count; ++i) window->dropped_.emplace_back(paths[i]);
}

std::vector<std::string> Window::take_dropped() {
  std::lock_guard lock(dropped_mutex_);
  return std::exchange(dropped_, {});
}

ui::KeyCodes Window::key_codes() const {
  ui::KeyCodes keys;
  keys.f1 = GLFW_KEY_F1;
  keys.f11 = GLFW_KEY_F11;
  keys.digit_1 = GLFW_KEY_1;
  keys.digit_2 = GLFW_KEY_2;
  keys.digit_3 = GLFW_KEY_3;
  keys.equal = GLFW_KEY_EQUAL;
  keys.minus = GLFW_KEY_MINUS;
  keys.keypad_add = GLFW_KEY_KP_ADD;
  keys.keypad_subtract = GLFW_KEY_KP_SUBTRACT;
  keys.letter_o = GLFW_KEY_O;
  return keys;
}

}  // namespace reqtrace::app
