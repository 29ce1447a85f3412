// reqtrace gui: the viewer, interactive, as a screenshot, or as a bench; and plain reqtrace's
// choice.
#include <cstdlib>
#include <iostream>

#include "app/command_table.hpp"
#include "app/exit_codes.hpp"
#include "app/viewer_app.hpp"
#include "app/window.hpp"
#include "app/your_app.hpp"

namespace reqtrace::app {
namespace {

bool parse_size(const std::string& text, int& width, int& height, std::string& error) {
  const auto x = text.find('x');
  std::string ignored;
  auto w = x == std::string::npos ? std::nullopt
                                  : parse_int("--size", text.substr(0, x), 320, 8192, ignored);
  auto h = x == std::string::npos ? std::nullopt
                                  : parse_int("--size", text.substr(x + 1), 240, 8192, ignored);
  if (!w || !h) {
    error =
        "--size expects WIDTHxHEIGHT, e.g. 1280x720 (320x240 to 8192x8192), got \"" + text + "\"";
    return false;
  }
  width = *w;
  height = *h;
  return true;
}

std::optional<ui::Theme> parse_theme(const std::string& text) {
  if (text == "dark") return ui::Theme::Dark;
  if (text == "light") return ui::Theme::Light;
  if (text == "contrast" || text == "high-contrast") return ui::Theme::HighContrast;
  return std::nullopt;
}

int fail(const std::string& message) {
  std::cerr << "reqtrace gui: " << message << "\n";
  return kBadInput;
}

}  // namespace

int gui_command(const Args& args) {
  std::string error;
  auto options = parse_options(args, options_of("gui"), error);
  if (!options) return fail(error);
  if (options->positional.size() > 1)
    return fail("expected at most one scenario or trace, got " +
                std::to_string(options->positional.size()));
  ViewerOptions viewer;
  if (!options->positional.empty()) viewer.source = options->positional[0];
  // A real app: the scenario named (or your-app) around it, as run and serve build it.
  if (options->value("--wsgi") || !options->every("--request").empty()) {
    viewer.lesson = lesson_from_options(*options, "gui", std::cerr);
    if (!viewer.lesson) return kBadInput;
  }
  viewer.level = level_option(options->value("--level"), error);
  if (viewer.level == 0) return fail(error);
  if (auto step = options->value("--step")) {
    auto parsed = parse_int("--step", *step, 1, 100000000, error);
    if (!parsed) return fail(error);
    viewer.step = *parsed;
  }
  if (auto size = options->value("--size"))
    if (!parse_size(*size, viewer.width, viewer.height, error)) return fail(error);
  if (auto theme = options->value("--theme")) {
    auto parsed = parse_theme(*theme);
    if (!parsed) return fail("--theme expects dark, light or contrast, got \"" + *theme + "\"");
    viewer.theme = *parsed;
  }
  if (auto scale = options->value("--font-scale")) {
    char* end = nullptr;
    const float parsed = std::strtof(scale->c_str(), &end);
    if (end == scale->c_str() || *end || parsed < ui::kMinFontScale || parsed > ui::kMaxFontScale)
      return fail("--font-scale expects a number from 1 to 3, got \"" + *scale + "\"");
    viewer.font_scale = parsed;
  }
  if (auto port = options->value("--port")) {
    auto parsed = parse_int("--port", *port, 0, 65535, error);
    if (!parsed) return fail(error);
    viewer.port = *parsed;
  }
  if (auto path = options->value("--screenshot")) viewer.screenshot = *path;
  const auto bench_frames = options->value("--bench-frames");
  const auto bench_events = options->value("--events");
  if (bench_frames.has_value() != bench_events.has_value())
    return fail(
        "--bench-frames and --events go together, e.g. --bench-frames 600 --events 1000000");
  if (viewer.step && !viewer.screenshot)
    return fail("--step goes with --screenshot; in the window, use the transport bar");

  Window::Options window_options;
  window_options.width = viewer.width;
  window_options.height = viewer.height;
  window_options.visible = !viewer.screenshot;
  window_options.vsync = !bench_frames;
  if (viewer.screenshot) window_options.width = window_options.height = 64;  // drawn off screen
  auto window = Window::open(window_options, error);
  if (!window) {
    std::cerr << "reqtrace gui: " << error
              << "\n(the text walkthrough needs no display: reqtrace replay TRACE or reqtrace run "
                 "SCENARIO)\n";
    return kRunFailed;
  }
  ViewerApp app(std::move(window), viewer);
  if (bench_frames) {
    auto frames = parse_int("--bench-frames", *bench_frames, 1, 1000000, error);
    if (!frames) return fail(error);
    auto events = parse_int("--events", *bench_events, 1, 50000000, error);
    if (!events) return fail(error);
    return app.run_bench(*frames, static_cast<std::size_t>(*events));
  }
  if (viewer.screenshot) return app.run_screenshot();
  return app.run_interactive();
}

int default_command() {
  // The window when there is a display to put it on; the text walkthrough otherwise.
  const char* no_gui = std::getenv("REQTRACE_NO_GUI");
  if ((no_gui && *no_gui) || !Window::display_available()) return walkthrough_command();
  std::string error;
  auto window = Window::open({}, error);
  if (!window) {
    std::cerr << "reqtrace: " << error << "; showing the text walkthrough instead\n";
    return walkthrough_command();
  }
  ViewerApp app(std::move(window), ViewerOptions{});
  return app.run_interactive();
}

}  // namespace reqtrace::app
