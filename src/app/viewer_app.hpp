// The viewer as a program: the window, the frame loop, and the runs and file loads it starts off
// the UI thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/live_run.hpp"
#include "app/ui_tasks.hpp"
#include "app/window.hpp"
#include "lesson/view/scenario_reload.hpp"
#include "scenario/scenario.hpp"
#include "ui/viewer.hpp"

namespace reqtrace::app {

struct ViewerOptions {
  std::optional<std::string> source;  // a scenario (run when the window opens) or a trace
  // A lesson the command line built (--wsgi: a real app in a scenario), run instead of source.
  std::optional<scenario::Scenario> lesson;
  int level = 1;
  std::optional<int> step;  // 1-based
  std::optional<std::filesystem::path> screenshot;
  int width = 1280, height = 720;
  ui::Theme theme = ui::Theme::Dark;
  float font_scale = 1.0f;
  int port = 0;  // where Live listens; 0: any free port
};

// What loading a file off the UI thread gives back.
struct LoadedSource {
  std::shared_ptr<trace::Session> session;     // a trace; null for a scenario
  std::unique_ptr<lesson::ViewerModel> model;  // built from the trace's events
  std::optional<scenario::Scenario> scenario;  // what Run and Live start
  std::vector<std::string> problems;           // each "file:line:col: /pointer: expected ..."
  std::optional<std::filesystem::path> scenario_file;  // a scenario file, watched for changes
  lesson::FileStamp stamp;                             // that file as it was read
};

// Reads `argument` (a trace, a scenario file or a shipped scenario's name). Safe off the UI thread.
LoadedSource load_source(const std::string& argument, int level);

class ViewerApp {
 public:
  ViewerApp(std::unique_ptr<Window> window, const ViewerOptions& options);
  ~ViewerApp();
  ViewerApp(const ViewerApp&) = delete;
  ViewerApp& operator=(const ViewerApp&) = delete;

  // Until the window closes; the exit code: 0, or 2 when what was given to open was bad.
  int run_interactive();
  // Renders until the source is loaded (and, for a scenario, run), goes to
  // --step, renders a few real frames and writes the PNG. The exit code.
  int run_screenshot();
  // Renders frames over a synthetic trace while panning and zooming; prints the times.
  int run_bench(int frames, std::size_t events);

 private:
  void open(const std::string& argument);
  // What the command line names: its lesson, else its source, else the default scenario.
  void open_first();
  void start_run(LiveRun::Mode mode);
  void stop_run();
  void report(ui::RunStatus status, int run_id);
  void frame(double seconds, bool present);
  void apply_settings();
  void reap_finished();
  // Once a second: reloads the scenario file when it changed and has settled.
  void poll_scenario_file();
  void apply_reload(scenario::Scenario after);

  std::unique_ptr<Window> window_;
  ViewerOptions options_;
  UiTasks tasks_;
  ui::Viewer viewer_;
  std::vector<std::filesystem::path> font_dirs_;
  ui::Fonts fonts_;
  float fonts_scale_ = 0;  // the scale the loaded fonts were made for
  ui::Theme applied_theme_ = ui::Theme::Dark;
  float applied_scale_ = 0;
  std::string shown_title_;
  double last_build_ms_ = 0;  // the last frame's viewer_.frame(), for the bench

  std::optional<scenario::Scenario> scenario_;    // what Run and Live start
  std::optional<std::filesystem::path> watched_;  // the scenario file opened, if one was
  std::optional<lesson::FileWatch> watch_;
  std::chrono::steady_clock::time_point next_poll_{};
  bool reloading_ = false;
  std::unique_ptr<LiveRun> run_;
  int run_id_ = 0;                                  // reports from an older run are ignored
  std::vector<std::unique_ptr<LiveRun>> stopping_;  // asked to stop; joined once done
  std::vector<std::thread> loaders_;
  int loads_pending_ = 0;
  int loads_started_ = 0;
  int first_run_id_ = -1;  // the run the command line's scenario started, if any
  bool bad_input_ = false;
  bool run_failed_ = false;
};

}  // namespace reqtrace::app
