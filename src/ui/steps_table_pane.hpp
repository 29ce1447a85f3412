// The execution table: Step | Action | one column per tracked variable, the current row lit and
// kept in view.
#pragma once

#include <cstddef>

#include "ui/view.hpp"

namespace reqtrace::ui {

class StepsTablePane : public View {
 public:
  StepsTablePane()
      : View("Execution table", "No steps yet. Press Run, or open a trace with File ▸ Open.") {}

 protected:
  void draw_content(ViewContext& context) override;
  ImGuiWindowFlags extra_flags() const override { return ImGuiWindowFlags_NoScrollbar; }

 private:
  // The step and level shown last frame: when either changes, the current row is scrolled into
  // view.
  std::size_t shown_step_ = static_cast<std::size_t>(-1);
  int shown_level_ = 0;
};

}  // namespace reqtrace::ui
