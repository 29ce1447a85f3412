#include "lesson/view/viewer_model.hpp"

namespace reqtrace::lesson {

ViewerModel::ViewerModel(scenario::Scenario scenario, int level)
    : scenario_(std::move(scenario)),
      walkthrough_(scenario_.track, level),
      narrator_(&scenario_),
      placement_(&scenario_) {}

bool ViewerModel::update(const std::vector<trace::Event>& events) {
  if (events.size() <= walkthrough_.event_count()) return false;
  walkthrough_.update(events);
  timeline_.update(events);
  narrator_.update(events);
  transport_.set_count(walkthrough_.step_count());
  if (placement_.update(events, walkthrough_)) quiz_.set_questions(placement_.placed().questions);
  return true;
}

void ViewerModel::set_level(const std::vector<trace::Event>& events, int level) {
  if (level == walkthrough_.level()) return;
  const auto moment = current_event();
  walkthrough_.set_level(events, level);
  const std::size_t step = moment ? walkthrough_.step_of_event(*moment) : 0;
  transport_.relocate(step, walkthrough_.step_count());
  if (picked_event_) picked_at_step_ = walkthrough_.step_of_event(*picked_event_);
  placement_.set_level(events, walkthrough_);
  quiz_.set_questions(placement_.placed().questions);
}

std::optional<std::size_t> ViewerModel::current_event() const {
  if (transport_.empty()) return std::nullopt;
  return walkthrough_.steps()[transport_.step()].event;
}

std::optional<std::size_t> ViewerModel::selected_event() const {
  if (picked_event_ && !transport_.empty() && transport_.step() == picked_at_step_)
    return picked_event_;
  return current_event();
}

void ViewerModel::select_event(std::size_t event) {
  if (event >= walkthrough_.event_count() || transport_.empty()) return;
  picked_event_ = event;
  picked_at_step_ = walkthrough_.step_of_event(event);
  transport_.go_to(picked_at_step_);
}

ExecutionRow ViewerModel::row(const std::vector<trace::Event>& events, std::size_t step) const {
  ExecutionRow row = walkthrough_.row(events, step);
  row.narration = narrator_.words(events, row.event);
  return row;
}

TrackerView ViewerModel::tracker(std::size_t max_columns) const {
  return tracker_view(walkthrough_, transport_.step(), max_columns);
}

FlowDiagram ViewerModel::flow(const std::vector<trace::Event>& events) const {
  return flow_diagram(scenario_, events, lanes(), current_event());
}

NarrationView ViewerModel::narration(const std::vector<trace::Event>& events) const {
  return narrator_.at(events, walkthrough_.steps(), transport_.step());
}

std::vector<std::pair<std::string, trace::Actor>> ViewerModel::lanes() const {
  std::vector<std::pair<std::string, trace::Actor>> lanes;
  for (std::size_t row = 0; row < timeline_.row_count(); ++row)
    lanes.emplace_back(timeline_.row_name(row), timeline_.row_actor(row));
  return lanes;
}

}  // namespace reqtrace::lesson
