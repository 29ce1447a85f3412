// Everything the viewer's panes show, computed from a session's events without a window.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lesson/narration.hpp"
#include "lesson/quiz/quiz_placement.hpp"
#include "lesson/view/flow_diagram.hpp"
#include "lesson/view/quiz_player.hpp"
#include "lesson/view/timeline_model.hpp"
#include "lesson/view/tracker.hpp"
#include "lesson/view/transport.hpp"
#include "lesson/walkthrough.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// The viewer's state for one session: the walkthrough at the chosen level, the
// cursor, the timeline's index, the key moments and the quizzes, all kept up to
// date by update() as events arrive, each looking only at the new events. Panes
// ask it what to show; the window only draws.
class ViewerModel {
 public:
  explicit ViewerModel(scenario::Scenario scenario, int level = trace::kOverview);
  ViewerModel(const ViewerModel&) = delete;
  ViewerModel& operator=(const ViewerModel&) = delete;

  // Takes in events not seen yet. True when there were any.
  bool update(const std::vector<trace::Event>& events);
  // Another detail level; the cursor stays on the step covering the same moment.
  void set_level(const std::vector<trace::Event>& events, int level);
  int level() const { return walkthrough_.level(); }

  const scenario::Scenario& scenario() const { return scenario_; }
  const Walkthrough& walkthrough() const { return walkthrough_; }
  const TimelineModel& timeline() const { return timeline_; }
  Transport& transport() { return transport_; }
  const Transport& transport() const { return transport_; }
  std::size_t event_count() const { return walkthrough_.event_count(); }
  // The scenario's quizzes at this level, placed as the trace grows and again when the level
  // changes.
  QuizPlayer& quiz() { return quiz_; }
  const QuizPlayer& quiz() const { return quiz_; }

  // The current step's own event, when there are steps.
  std::optional<std::size_t> current_event() const;
  // What the inspector shows: an event picked on the timeline while the cursor
  // stays on its step, otherwise the current step's event.
  std::optional<std::size_t> selected_event() const;
  // Picks an event (a click on the timeline): the cursor moves to its step.
  void select_event(std::size_t event);

  ExecutionRow row(const std::vector<trace::Event>& events, std::size_t step) const;
  TrackerView tracker(std::size_t max_columns) const;
  FlowDiagram flow(const std::vector<trace::Event>& events) const;
  NarrationView narration(const std::vector<trace::Event>& events) const;
  // The timeline's lanes in journey order, as (name, actor).
  std::vector<std::pair<std::string, trace::Actor>> lanes() const;

 private:
  scenario::Scenario scenario_;
  Walkthrough walkthrough_;
  TimelineModel timeline_;
  Narrator narrator_;
  Transport transport_;
  QuizPlacement placement_;
  QuizPlayer quiz_;
  std::optional<std::size_t> picked_event_;
  std::size_t picked_at_step_ = 0;
};

}  // namespace reqtrace::lesson
