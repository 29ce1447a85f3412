// The chrome every pane shares (ImHex's View): its window at the place the layout gives, and an
// empty state.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "lesson/view/viewer_model.hpp"
#include "trace/session.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"

namespace reqtrace::ui {

struct Rect {
  ImVec2 pos;
  ImVec2 size;
};

// What the viewer asks of the app: whatever touches processes, sockets or
// files. The app runs them off the UI thread and reports back between frames.
struct ViewerActions {
  std::function<void()> run;   // the scenario's real stack, its requests, then down
  std::function<void()> live;  // the stack stays up for outside clients until Stop
  std::function<void()> stop;
  std::function<void(const std::string& path)> open;  // a trace or a scenario file
  std::function<void()> toggle_fullscreen;
  std::function<void()> quit;
};

// How the scenario's real stack is doing, as the app last reported it.
struct RunStatus {
  enum class State { Idle, Running, Serving, Finished, Failed };
  RunStatus() = default;
  RunStatus(State state_now, std::string what, std::string where = {})
      : state(state_now), text(std::move(what)), address(std::move(where)) {}

  State state = State::Idle;
  std::string text;     // "Serving on http://127.0.0.1:8000/", "request 1 got no response: ..."
  std::string address;  // where the stack listens while it is up: "http://127.0.0.1:8000/"
  bool busy() const { return state == State::Running || state == State::Serving; }
};

// What every pane may read and do during one frame.
struct ViewContext {
  const trace::Session* session = nullptr;  // null until something is open
  lesson::ViewerModel* model = nullptr;     // null until something is open
  const Palette* palette = nullptr;
  const Fonts* fonts = nullptr;
  float scale = 1.0f;
  RunStatus run;
  bool can_run = false;  // a scenario is known, so Run and Live can start it
  bool animate = true;   // off for screenshots, which must show where things end up
  ViewerActions* actions = nullptr;

  const std::vector<trace::Event>& events() const { return session->events(); }
  bool has_steps() const { return model && session && model->transport().count() > 0; }
};

class View {
 public:
  View(const char* title, const char* empty_text) : title_(title), empty_text_(empty_text) {}
  virtual ~View() = default;
  View(const View&) = delete;
  View& operator=(const View&) = delete;

  // The pane's window at `area`; its content, or its empty state when there
  // are no steps to show.
  void draw(const Rect& area, ViewContext& context);
  // The content or the empty state, inside a window someone else began (a tab).
  void draw_body(ViewContext& context);
  const char* title() const { return title_; }
  // A new session is shown: forget what was cached for the old one.
  virtual void reset() {}

 protected:
  virtual void draw_content(ViewContext& context) = 0;
  virtual ImGuiWindowFlags extra_flags() const { return 0; }
  // A pane that has something to show before any step exists says so.
  virtual bool shows_without_steps() const { return false; }

 private:
  const char* title_;
  const char* empty_text_;
};

// A dimmed, centred sentence for a pane with nothing to show.
void empty_state(const char* text, const Palette& palette);

}  // namespace reqtrace::ui
