// The viewer's window contents: menu, transport bar, every pane, the keyboard; the app owns the
// window.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lesson/view/viewer_model.hpp"
#include "trace/session.hpp"
#include "ui/flow_diagram_pane.hpp"
#include "ui/help_overlay.hpp"
#include "ui/inspector_pane.hpp"
#include "ui/narration_pane.hpp"
#include "ui/quiz_pane.hpp"
#include "ui/steps_table_pane.hpp"
#include "ui/theme.hpp"
#include "ui/timeline_pane.hpp"
#include "ui/tracker_pane.hpp"
#include "ui/transport_bar.hpp"
#include "ui/view.hpp"

namespace reqtrace::ui {

// Native key codes for the keys Dear ImGui 1.86 has no name for; the app fills
// them from its window library. -1: not available.
struct KeyCodes {
  int f1 = -1, f11 = -1;
  int digit_1 = -1, digit_2 = -1, digit_3 = -1;
  int equal = -1, minus = -1, keypad_add = -1, keypad_subtract = -1;
  int letter_o = -1;
};

class Viewer {
 public:
  Viewer(ViewerActions actions, KeyCodes keys);

  // A new lesson to show, replacing the old: the session and the model built
  // from its events (perhaps on another thread, so a big file costs no frame).
  void show(std::shared_ptr<trace::Session> session, std::unique_ptr<lesson::ViewerModel> model);
  trace::Session* session() { return session_.get(); }
  lesson::ViewerModel* model() { return model_.get(); }

  void set_can_run(bool can_run) { can_run_ = can_run; }
  void set_run_status(RunStatus status) { run_ = std::move(status); }
  const RunStatus& run_status() const { return run_; }
  // A problem shown in the window until dismissed: a bad file, a failed run.
  void show_problem(std::string text);
  // The scenario file changed but the trace still serves: the lesson is rebuilt on the same
  // events, at the same step (keep_place), with the quiz's results kept.
  void reload_lesson(const scenario::Scenario& scenario);
  const std::vector<std::string>& problems() const { return problems_; }

  // Once per frame between ImGui::NewFrame() and ImGui::Render(): takes in the
  // events that arrived, advances playback by `seconds`, answers keys, draws.
  void frame(double seconds);
  // Frames are wanted continuously: playing, running, or animating.
  bool busy() const;

  // Settings the app applies between frames: fonts need their texture rebuilt.
  float font_scale() const { return font_scale_; }
  void set_font_scale(float scale);
  Theme theme() const { return theme_; }
  void set_theme(Theme theme) { theme_ = theme; }
  void set_fonts(const Fonts* fonts) { fonts_ = fonts; }
  void set_animations(bool on) { animate_ = on; }

  bool help_shown() const { return help_.is_open(); }
  TimelinePane& timeline() { return timeline_; }
  QuizPane& quiz() { return quiz_; }
  std::string title() const;

 private:
  void take_in_events();
  void answer_keys();
  void draw_menu();
  void draw_problems(const Rect& area);
  void draw_details(const Rect& area, ViewContext& view_context);
  void draw_open_dialog();
  ViewContext context();
  void set_level(int level);
  void stop_for_quizzes(bool was_playing);

  ViewerActions actions_;
  KeyCodes keys_;
  std::shared_ptr<trace::Session> session_;
  std::unique_ptr<lesson::ViewerModel> model_;
  std::uint64_t reorders_seen_ = 0;
  bool can_run_ = false;
  RunStatus run_;
  std::vector<std::string> problems_;

  float font_scale_ = 1.0f;
  Theme theme_ = Theme::Dark;
  const Fonts* fonts_ = nullptr;
  bool animate_ = true;

  TransportBar transport_;
  TimelinePane timeline_;
  StepsTablePane steps_;
  FlowDiagramPane flow_;
  NarrationPane narration_;
  TrackerPane tracker_;
  InspectorPane inspector_;
  QuizPane quiz_;
  HelpOverlay help_;
  std::optional<std::size_t> shown_pick_;
  std::size_t quiz_from_ = 0;  // the step the quiz gate last saw, at this level
  int quiz_level_ = 0;         // a level change (the transport bar's too) moves, not steps
  bool quiz_asked_ = false;    // brings the quiz tab forward on the next draw
  bool open_dialog_ = false;
  std::string open_path_;
};

}  // namespace reqtrace::ui
