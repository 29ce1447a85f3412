// The inspector: the selected event in full, its data laid out as a student wants to read it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "lesson/view/inspector.hpp"
#include "ui/view.hpp"

namespace reqtrace::ui {

class InspectorPane : public View {
 public:
  InspectorPane() : View("Inspector", "Pick a step or an event to see everything it carries.") {}
  void reset() override { shown_event_.reset(); }

 protected:
  void draw_content(ViewContext& context) override;

 private:
  // Parsing an event's data is kept for as long as the same event is shown.
  std::optional<std::size_t> shown_event_;
  std::size_t shown_events_total_ = 0;
  lesson::InspectorView view_;
  std::string environ_filter_;
};

}  // namespace reqtrace::ui
