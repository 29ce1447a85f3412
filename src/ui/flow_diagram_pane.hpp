// The flow diagram: client, proxy, server or workers, app; the acting box lit, the request on its
// arrow.
#pragma once

#include <cstddef>
#include <optional>

#include "ui/view.hpp"

namespace reqtrace::ui {

class FlowDiagramPane : public View {
 public:
  FlowDiagramPane()
      : View("Flow", "The browser, the server and the app appear here once there are steps.") {}

 protected:
  void draw_content(ViewContext& context) override;
  ImGuiWindowFlags extra_flags() const override { return ImGuiWindowFlags_NoScrollbar; }

 private:
  // The request glides to its place on the arrow when the step changes.
  std::size_t animated_step_ = static_cast<std::size_t>(-1);
  double animation_start_ = 0;
};

}  // namespace reqtrace::ui
