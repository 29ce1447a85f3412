// The timeline: a lane per actor and worker, instants and request spans on real time, flow lines,
// the cursor.
#pragma once

#include <cstddef>
#include <vector>

#include "lesson/view/timeline_model.hpp"
#include "ui/view.hpp"

namespace reqtrace::ui {

class TimelinePane : public View {
 public:
  TimelinePane()
      : View("Timeline", "No events yet. Press Run, or open a trace with File ▸ Open.") {}

  // The part of time on screen; the bench pans and zooms it as a hand would.
  lesson::TimeWindow& window() { return window_; }
  // Shows the whole trace at the next frame.
  void fit() { fitted_ = false; }
  // A new session: forget the old one's place.
  void reset() override;

 protected:
  void draw_content(ViewContext& context) override;
  ImGuiWindowFlags extra_flags() const override {
    return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  }

 private:
  void draw_ruler(const ViewContext& context, ImVec2 origin, float width, float height);
  void draw_lanes(ViewContext& context, float gutter);
  void handle_mouse(ViewContext& context, ImVec2 track_min, float lane_height, float width);

  lesson::TimeWindow window_;
  bool fitted_ = false;
  std::size_t shown_step_ = static_cast<std::size_t>(-1);
  std::size_t shown_events_ = 0;
  bool dragged_ = false;
  std::vector<lesson::TimelineItem> items_;  // reused every frame
  std::vector<lesson::TimelineFlow> flows_;
};

}  // namespace reqtrace::ui
