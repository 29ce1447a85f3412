// The narration: the scenario's words for the current step, its key moments, and the concept
// snapshot.
#pragma once

#include "ui/view.hpp"

namespace reqtrace::ui {

class NarrationPane : public View {
 public:
  NarrationPane() : View("Narration", "The scenario's story is told here, step by step.") {}

 protected:
  void draw_content(ViewContext& context) override;
  bool shows_without_steps() const override { return true; }
};

}  // namespace reqtrace::ui
