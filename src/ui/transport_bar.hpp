// The transport bar: first, back, play/pause, next, last, speed, "Step k of n", scrub, level,
// Run/Live/Stop.
#pragma once

#include <utility>

#include "ui/view.hpp"

namespace reqtrace::ui {

class TransportBar : public View {
 public:
  TransportBar() : View("Transport", "") {}
  // The height the bar took last frame, for laying out the panes below it.
  float height() const { return height_; }
  bool wants_open_dialog() { return std::exchange(wants_open_dialog_, false); }

 protected:
  void draw_content(ViewContext& context) override;
  bool shows_without_steps() const override { return true; }
  ImGuiWindowFlags extra_flags() const override {
    return ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar;
  }

 private:
  void draw_steps(ViewContext& context);
  void draw_level(ViewContext& context);
  void draw_scrub(ViewContext& context);
  void draw_run(ViewContext& context);

  float height_ = 0;
  int go_to_step_ = 1;
  bool wants_open_dialog_ = false;
};

}  // namespace reqtrace::ui
