// The keyboard help (F1): every key the viewer answers to, over the panes.
#pragma once

#include "ui/view.hpp"

namespace reqtrace::ui {

class HelpOverlay {
 public:
  void toggle() { open_ = !open_; }
  bool is_open() const { return open_; }
  void draw(const ViewContext& context);

 private:
  bool open_ = false;
};

}  // namespace reqtrace::ui
