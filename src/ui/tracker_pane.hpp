// The variable tracker: a row per tracked variable; Start, After step k…, Final; jump to a change.
#pragma once

#include <cstddef>

#include "ui/view.hpp"

namespace reqtrace::ui {

class TrackerPane : public View {
 public:
  TrackerPane()
      : View("Variable tracker", "The tracked variables appear here once there are steps.") {}

 protected:
  void draw_content(ViewContext& context) override;
};

}  // namespace reqtrace::ui
