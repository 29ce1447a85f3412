#include "app/viewer_app.hpp"

#include <glad/gl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/data_dirs.hpp"
#include "app/exit_codes.hpp"
#include "app/screenshot.hpp"
#include "lesson/view/synthetic_trace.hpp"
#include "sim/topology/load_scenario.hpp"
#include "trace/trace_reader.hpp"

namespace reqtrace::app {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

lesson::FileStamp stamp_of(const std::filesystem::path& path) {
  lesson::FileStamp stamp;
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return stamp;
  const auto modified = std::filesystem::last_write_time(path, error);
  if (error) return stamp;
  stamp.exists = true;
  stamp.size = size;
  stamp.modified_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(modified.time_since_epoch()).count();
  return stamp;
}

}  // namespace

LoadedSource load_source(const std::string& argument, int level) {
  LoadedSource out;
  const auto path = resolve_scenario(argument);
  if (trace::looks_like_trace(path)) {
    auto loaded = trace::read_trace(path);
    for (const auto& warning : loaded.warnings) std::cerr << "warning: " << warning << "\n";
    if (!loaded) {
      out.problems = std::move(loaded.errors);
      return out;
    }
    auto embedded =
        topology::load_json(loaded.trace->scenario, path.string() + " (embedded scenario)");
    if (!embedded) {
      for (const auto& problem : embedded.problems) out.problems.push_back(problem.to_string());
      return out;
    }
    out.session = std::make_shared<trace::Session>(loaded.trace->scenario,
                                                   std::move(loaded.trace->events), path.string());
    // A big trace's index is built here, off the UI thread, not in a frame.
    out.model = std::make_unique<lesson::ViewerModel>(*embedded.scenario, level);
    out.model->update(out.session->events());
    out.scenario = std::move(*embedded.scenario);
    return out;
  }
  // Stamped before reading, so a change made while reading is still noticed.
  out.stamp = stamp_of(path);
  if (out.stamp.exists) out.scenario_file = path;
  auto loaded = topology::load_file(path);
  for (const auto& problem : loaded.problems) out.problems.push_back(problem.to_string());
  if (loaded) out.scenario = std::move(*loaded.scenario);
  return out;
}

ViewerApp::ViewerApp(std::unique_ptr<Window> window, const ViewerOptions& options)
    : window_(std::move(window)),
      options_(options),
      tasks_([window = window_.get()] { window->wake(); }),
      viewer_(ui::ViewerActions{
                  [this] { start_run(LiveRun::Mode::Once); },
                  [this] { start_run(LiveRun::Mode::Serve); },
                  [this] { stop_run(); },
                  [this](const std::string& path) { open(path); },
                  [this] { window_->toggle_fullscreen(); },
                  [this] { window_->close(); },
              },
              window_->key_codes()) {
  const auto data = data_dir();
  font_dirs_ = ui::font_dirs(data ? &*data : nullptr);
  viewer_.set_theme(options.theme);
  viewer_.set_font_scale(options.font_scale);
}

ViewerApp::~ViewerApp() {
  // Everything that might still post to the task queue ends before the queue does.
  for (auto& loader : loaders_) loader.join();
  if (run_) run_->stop();
  for (auto& stopping : stopping_) stopping->stop();
  run_.reset();
  stopping_.clear();
}

void ViewerApp::open(const std::string& argument) {
  // Only what the command line gave decides the exit code; later opens just show their problems.
  const bool first = loads_started_++ == 0;
  ++loads_pending_;
  const int level = viewer_.model() ? viewer_.model()->level() : options_.level;
  loaders_.emplace_back([this, argument, level, first] {
    auto loaded = std::make_shared<LoadedSource>(load_source(argument, level));
    tasks_.post([this, loaded, first] {
      --loads_pending_;
      for (const auto& problem : loaded->problems) {
        std::cerr << problem << "\n";
        viewer_.show_problem(problem);
      }
      if (!loaded->problems.empty() && first) bad_input_ = true;
      if (loaded->scenario) scenario_ = std::move(loaded->scenario);
      if (loaded->scenario_file) {
        watched_ = loaded->scenario_file;
        watch_.emplace(loaded->stamp);
      } else if (loaded->session) {
        watched_.reset();  // a trace carries its scenario: nothing to watch
        watch_.reset();
      }
      viewer_.set_can_run(scenario_.has_value());
      if (loaded->session)
        viewer_.show(std::move(loaded->session), std::move(loaded->model));
      else if (loaded->problems.empty() && scenario_)
        start_run(LiveRun::Mode::Once);  // a scenario runs as soon as it is open
      if (first) first_run_id_ = run_id_;
    });
  });
}

void ViewerApp::start_run(LiveRun::Mode mode) {
  if (!scenario_) return;
  stop_run();
  auto session = std::make_shared<trace::Session>(scenario_->source, "live: " + scenario_->id);
  auto model = std::make_unique<lesson::ViewerModel>(
      *scenario_, viewer_.model() ? viewer_.model()->level() : options_.level);
  model->transport().set_following(true);
  viewer_.show(session, std::move(model));
  topology::Listen listen;
  listen.assets = assets_dir();
  if (mode == LiveRun::Mode::Serve) listen.port = options_.port;
  const int id = ++run_id_;
  viewer_.set_run_status({ui::RunStatus::State::Running, "Starting " + scenario_->id});
  run_ = std::make_unique<LiveRun>(*scenario_, mode, listen, session,
                                   [this, id](const ui::RunStatus& status) {
                                     tasks_.post([this, id, status] {
                                       if (id == run_id_) report(status, id);
                                     });
                                   });
}

void ViewerApp::stop_run() {
  if (!run_) return;
  run_->stop();
  stopping_.push_back(std::move(run_));
}

void ViewerApp::report(ui::RunStatus status, int run_id) {
  if (status.state == ui::RunStatus::State::Failed) {
    if (run_id == first_run_id_) run_failed_ = true;
    std::cerr << "reqtrace gui: " << status.text << "\n";
    viewer_.show_problem(status.text);
  }
  viewer_.set_run_status(std::move(status));
}

void ViewerApp::poll_scenario_file() {
  const auto now = Clock::now();
  if (!watched_ || !watch_ || reloading_ || now < next_poll_) return;
  next_poll_ = now + std::chrono::seconds(1);
  // A stat is cheap; reading and checking the file happens on a loader thread.
  if (!watch_->poll(stamp_of(*watched_))) return;
  reloading_ = true;
  loaders_.emplace_back([this, path = *watched_] {
    auto loaded = std::make_shared<scenario::Loaded>(topology::load_file(path));
    tasks_.post([this, loaded, path] {
      reloading_ = false;
      if (watched_ != path) return;  // another file was opened meanwhile
      for (const auto& problem : loaded->problems) {
        std::cerr << problem.to_string() << "\n";
        viewer_.show_problem(problem.to_string());
      }
      if (*loaded) apply_reload(std::move(*loaded->scenario));
    });
  });
}

void ViewerApp::apply_reload(scenario::Scenario after) {
  const bool rerun = !scenario_ || lesson::needs_new_run(*scenario_, after);
  scenario_ = std::move(after);
  viewer_.set_can_run(true);
  // What the stack does changed: the old trace no longer shows this scenario, so run it again.
  if (rerun || !viewer_.model())
    start_run(LiveRun::Mode::Once);
  else
    viewer_.reload_lesson(*scenario_);
}

void ViewerApp::reap_finished() {
  std::erase_if(stopping_, [](const auto& run) { return run->done(); });
  if (run_ && run_->done() && !viewer_.run_status().busy()) stopping_.push_back(std::move(run_));
}

void ViewerApp::apply_settings() {
  const float scale = viewer_.font_scale();
  if (scale != fonts_scale_) {
    fonts_ = window_->load_fonts(scale, font_dirs_);
    fonts_scale_ = scale;
    viewer_.set_fonts(&fonts_);
    if (!fonts_.problem.empty()) viewer_.show_problem(fonts_.problem);
  }
  if (viewer_.theme() != applied_theme_ || scale != applied_scale_) {
    ui::apply_theme(viewer_.theme(), scale);
    applied_theme_ = viewer_.theme();
    applied_scale_ = scale;
  }
}

void ViewerApp::frame(double seconds, bool present) {
  tasks_.run_pending();
  for (const auto& path : window_->take_dropped()) open(path);
  reap_finished();
  apply_settings();
  window_->new_frame(options_.screenshot ? ImVec2(static_cast<float>(options_.width),
                                                  static_cast<float>(options_.height))
                                         : ImVec2(0, 0));
  const auto built = Clock::now();
  viewer_.frame(seconds);
  last_build_ms_ = seconds_between(built, Clock::now()) * 1000;
  window_->render(present);
  if (std::string title = viewer_.title(); title != shown_title_) {
    window_->set_title(title);
    shown_title_ = std::move(title);
  }
}

void ViewerApp::open_first() {
  if (!options_.lesson) return open(options_.source.value_or(kDefaultScenario));
  // Already built and checked: nothing to read, so it runs at once, as an opened scenario does.
  ++loads_started_;
  scenario_ = options_.lesson;
  viewer_.set_can_run(true);
  start_run(LiveRun::Mode::Once);
  first_run_id_ = run_id_;
}

int ViewerApp::run_interactive() {
  open_first();
  auto last = Clock::now();
  while (!window_->should_close()) {
    // Idle, the loop sleeps until input or a run's events wake it.
    window_->wait_for_input(viewer_.busy() ? 0 : 1.0 / 30);
    poll_scenario_file();
    const auto now = Clock::now();
    frame(seconds_between(last, now), true);
    last = now;
  }
  return bad_input_ ? kBadInput : (run_failed_ ? kRunFailed : kOk);
}

int ViewerApp::run_screenshot() {
  viewer_.set_animations(false);
  OffscreenFrame target(options_.width, options_.height);
  if (!target.complete()) {
    std::cerr << "reqtrace gui: cannot render off screen at " << options_.width << "x"
              << options_.height << "\n";
    return kRunFailed;
  }
  target.bind();
  open_first();
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  auto waiting = [this] {
    return loads_pending_ > 0 || viewer_.run_status().busy() || (run_ && !run_->done());
  };
  while (waiting() && Clock::now() < deadline) {
    window_->wait_for_input(0.01);
    frame(0, false);
  }
  if (waiting()) {
    std::cerr << "reqtrace gui: the scenario's run did not finish within 60 s\n";
    return kRunFailed;
  }
  for (int settle = 0; settle < 2; ++settle) frame(0, false);  // the last events arrive

  if (lesson::ViewerModel* model = viewer_.model()) {
    model->set_level(viewer_.session()->events(), options_.level);
    model->transport().set_following(false);
    if (options_.step) {
      const auto count = model->transport().count();
      if (*options_.step < 1 || static_cast<std::size_t>(*options_.step) > count) {
        std::cerr << "reqtrace gui: --step " << *options_.step
                  << " is out of range: " << model->scenario().id << " has " << count
                  << " steps at level " << options_.level << "\n";
        return kBadInput;
      }
      model->transport().go_to(static_cast<std::size_t>(*options_.step - 1));
    }
  }
  // Tables size their columns and scroll to the current row over the first frames.
  for (int settle = 0; settle < 4; ++settle) frame(0, false);
  std::string error;
  if (!write_png(*options_.screenshot, options_.width, options_.height, target.read_rgba(),
                 error)) {
    std::cerr << "reqtrace gui: " << error << "\n";
    return kBadInput;
  }
  return bad_input_ ? kBadInput : (run_failed_ ? kRunFailed : kOk);
}

int ViewerApp::run_bench(int frames, std::size_t events) {
  const auto built = Clock::now();
  auto session = std::make_shared<trace::Session>(
      nlohmann::json{{"id", "synthetic"}}, lesson::synthetic_trace(events), "synthetic trace");
  auto model = std::make_unique<lesson::ViewerModel>(lesson::synthetic_scenario(), 3);
  model->update(session->events());
  const double build_seconds = seconds_between(built, Clock::now());
  lesson::ViewerModel& shown = *model;
  viewer_.show(session, std::move(model));

  // Pan and zoom as a hand would: in to a hundredth of the trace and out again,
  // sliding along, while the cursor steps through the table.
  const double middle = options_.width * 0.5;
  auto script = [&](int i) {
    lesson::TimeWindow& window = viewer_.timeline().window();
    window.zoom_at(middle, (i % 160) < 80 ? 1.06 : 1 / 1.06);
    window.pan(6);
    if (i % 2 == 0) shown.transport().next();
  };
  for (int i = 0; i < 20; ++i) {  // warm up: fonts, the first layout
    frame(1.0 / 60, true);
    script(i);
  }
  viewer_.timeline().fit();
  std::vector<double> times, building, drawing;
  times.reserve(static_cast<std::size_t>(frames));
  for (int i = 0; i < frames; ++i) {
    script(i);
    const auto start = Clock::now();
    window_->wait_for_input(0);
    frame(1.0 / 60, false);
    glFinish();  // count the drawing, not just the submitting
    drawing.push_back(seconds_between(start, Clock::now()) * 1000 - last_build_ms_);
    window_->present();
    glFinish();
    times.push_back(seconds_between(start, Clock::now()) * 1000);
    building.push_back(last_build_ms_);
  }
  auto percentile = [](std::vector<double> values, double fraction) {
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(
                                                  fraction * static_cast<double>(values.size())))];
  };
  std::printf(
      "bench: %d frames at %dx%d over %zu events (%zu steps at level 3; index built in %.0f ms)\n",
      frames, options_.width, options_.height, events, shown.transport().count(),
      build_seconds * 1000);
  std::printf("OpenGL renderer: %s\n", reinterpret_cast<const char*>(glGetString(GL_RENDERER)));
  if (const ImDrawData* drawn = ImGui::GetDrawData()) {
    int commands = 0;
    for (int l = 0; l < drawn->CmdListsCount; ++l) commands += drawn->CmdLists[l]->CmdBuffer.Size;
    std::printf("the last frame: %d vertices, %d draw calls\n", drawn->TotalVtxCount, commands);
  }
  std::printf("building the frame (panes, timeline queries): median %.2f ms, p99 %.2f ms\n",
              percentile(building, 0.5), percentile(building, 0.99));
  std::printf("drawing it (OpenGL, to the finish): median %.2f ms; the rest is presenting it\n",
              percentile(drawing, 0.5));
  std::printf("median %.2f ms, p99 %.2f ms\n", percentile(times, 0.5), percentile(times, 0.99));
  return kOk;
}

}  // namespace reqtrace::app
