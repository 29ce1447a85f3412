#include "ui/timeline_pane.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "lesson/view/inspector.hpp"
#include "ui/widgets.hpp"

namespace reqtrace::ui {
namespace {

// Items closer than this many pixels are drawn as one: more would show nothing new.
constexpr double kMergePx = 3.0;

// A ruler step of 1, 2 or 5 × 10^k ns at least `min_ns` long.
double ruler_step(double min_ns) {
  double step = 1;
  while (step < min_ns) {
    if (step * 2 >= min_ns) return step * 2;
    if (step * 5 >= min_ns) return step * 5;
    step *= 10;
  }
  return step;
}

void event_tooltip(const trace::Event& event) {
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
  ImGui::TextUnformatted(event.msg.c_str());
  ImGui::PopTextWrapPos();
  std::string where = event.lane + " · " + std::string(trace::name_of(event.phase));
  if (event.req) where += " · request " + std::to_string(event.req);
  ImGui::TextDisabled("%s", where.c_str());
  ImGui::TextDisabled("at %s", lesson::readable_duration(event.t_ns).c_str());
  ImGui::EndTooltip();
}

}  // namespace

void TimelinePane::reset() {
  fitted_ = false;
  shown_step_ = static_cast<std::size_t>(-1);
  shown_events_ = 0;
}

void TimelinePane::draw_content(ViewContext& context) {
  lesson::ViewerModel& model = *context.model;
  const lesson::TimelineModel& timeline = model.timeline();
  const float font = ImGui::GetFontSize();

  float gutter = 0;
  for (std::size_t row = 0; row < timeline.row_count(); ++row)
    gutter = std::max(gutter, ImGui::CalcTextSize(timeline.row_name(row).c_str()).x);
  gutter = std::max(gutter + font, button_width("Fit") + font * 0.5f);
  const float width = std::max(ImGui::GetContentRegionAvail().x - gutter, 10.0f);

  // A live run that is being followed shows all of itself as it grows.
  const bool grew = model.event_count() != shown_events_;
  shown_events_ = model.event_count();
  if (!fitted_ || (grew && model.transport().following())) {
    window_.fit(timeline.first_ns(), timeline.last_ns(), width);
    fitted_ = true;
  }
  // Keep the cursor on screen when the step moves.
  const std::size_t step = model.transport().step();
  if (step != shown_step_) {
    shown_step_ = step;
    if (auto current = model.current_event()) {
      const double x = window_.x_of(static_cast<double>(context.events()[*current].t_ns));
      if (x < 0 || x > width) window_.pan(width * 0.5 - x);
    }
  }

  // The ruler row: Fit in the lane names' column, then the times.
  const ImVec2 ruler_at = ImGui::GetCursorScreenPos();
  const float ruler_height = ImGui::GetFrameHeight();
  if (ImGui::SmallButton("Fit")) fitted_ = false;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Show the whole trace (or double-click a lane).\n"
        "Wheel: zoom · drag: pan · click: pick an event");
  draw_ruler(context, ImVec2(ruler_at.x + gutter, ruler_at.y), width, ruler_height);
  ImGui::SetCursorScreenPos(
      ImVec2(ruler_at.x, ruler_at.y + ruler_height + ImGui::GetStyle().ItemSpacing.y * 0.5f));
  draw_lanes(context, gutter);
}

void TimelinePane::draw_ruler(const ViewContext& context, ImVec2 origin, float width,
                              float height) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const double step = ruler_step(window_.ns_per_px * ImGui::GetFontSize() * 6);
  const double first = std::ceil(window_.t_of(0) / step) * step;
  for (double t = first; t <= window_.t_of(width); t += step) {
    const float x = origin.x + static_cast<float>(window_.x_of(t));
    draw->AddLine(ImVec2(x, origin.y + height * 0.6f), ImVec2(x, origin.y + height),
                  context.palette->dim_text);
    const std::string label = lesson::readable_duration(static_cast<std::int64_t>(t));
    draw->AddText(ImVec2(x + 3, origin.y + (height - ImGui::GetFontSize()) * 0.5f),
                  context.palette->dim_text, label.c_str());
  }
}

void TimelinePane::draw_lanes(ViewContext& context, float gutter) {
  lesson::ViewerModel& model = *context.model;
  const lesson::TimelineModel& timeline = model.timeline();
  const auto& events = context.events();
  const Palette& palette = *context.palette;
  const float font = ImGui::GetFontSize();
  const float scale = context.scale;

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float rows = static_cast<float>(std::max<std::size_t>(timeline.row_count(), 1));
  const float lane_height = std::clamp(avail.y / rows, font * 1.4f, font * 3.0f);
  ImGui::BeginChild("lanes", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = std::max(ImGui::GetContentRegionAvail().x - gutter, 10.0f);
  const ImVec2 track_min(origin.x + gutter, origin.y);
  const float track_right = track_min.x + width;
  auto x_at = [&](double x) { return track_min.x + static_cast<float>(x); };
  auto lane_top = [&](std::size_t row) { return origin.y + lane_height * static_cast<float>(row); };

  draw->PushClipRect(ImVec2(origin.x, origin.y),
                     ImVec2(track_right, origin.y + lane_height * rows + 1), true);
  for (std::size_t row = 0; row < timeline.row_count(); ++row) {
    const float top = lane_top(row), bottom = top + lane_height;
    const float middle = (top + bottom) * 0.5f;
    if (row % 2 == 1)
      draw->AddRectFilled(ImVec2(origin.x, top), ImVec2(track_right, bottom), palette.lane_band);
    draw->AddText(ImVec2(origin.x + font * 0.3f, middle - font * 0.5f),
                  ImGui::GetColorU32(ImGuiCol_Text), timeline.row_name(row).c_str());

    // Each request's span on this lane, under its events.
    items_.clear();
    timeline.visible_spans(row, window_, width, kMergePx, items_);
    for (const auto& item : items_) {
      const bool group = item.kind == lesson::TimelineItem::Kind::SpanGroup;
      const ImU32 colour =
          group ? (palette.group & 0x80FFFFFFu) : request_colour(item.req, palette, 0.45f);
      draw->AddRectFilled(ImVec2(x_at(item.x0), middle),
                          ImVec2(std::max(x_at(item.x1), x_at(item.x0) + 2), bottom - 3 * scale),
                          colour, 2 * scale);
    }
    // A thread waiting for the GIL: a bar over its request's span, from when it began to wait
    // to when it had the GIL.
    items_.clear();
    timeline.visible_waits(row, window_, width, kMergePx, items_);
    for (const auto& item : items_) {
      const ImVec2 from(x_at(item.x0), middle + (bottom - middle) * 0.3f);
      const ImVec2 to(std::max(x_at(item.x1), from.x + 2), bottom - 3 * scale);
      draw->AddRectFilled(from, to, palette.wait, 2 * scale);
      const ImVec2 label = ImGui::CalcTextSize("GIL");
      if (to.x - from.x > label.x + 4 * scale && to.y - from.y > label.y * 0.8f)
        draw->AddText(ImVec2(from.x + 2 * scale, (from.y + to.y - label.y) * 0.5f),
                      IM_COL32(0, 0, 0, 255), "GIL");
    }
    items_.clear();
    timeline.visible_instants(row, window_, width, kMergePx, items_);
    for (const auto& item : items_) {
      const float x = x_at(item.x0);
      if (item.kind == lesson::TimelineItem::Kind::InstantGroup) {
        draw->AddRectFilled(ImVec2(x, top + 3 * scale),
                            ImVec2(std::max(x_at(item.x1), x + 2), middle + 2 * scale),
                            palette.group);
        continue;
      }
      const trace::Event& event = events[item.event];
      const ImU32 colour = request_colour(event.req, palette);
      draw->AddLine(ImVec2(x, top + 3 * scale), ImVec2(x, middle + 4 * scale), colour, 2 * scale);
      if (event.level == trace::kOverview)
        draw->AddCircleFilled(ImVec2(x, top + lane_height * 0.3f), 4.5f * scale, colour);
    }
  }

  // A request moving between lanes: a line from where it left to where it arrived.
  flows_.clear();
  timeline.visible_flows(window_, width, kMergePx, flows_);
  for (const auto& flow : flows_) {
    const float y0 = lane_top(flow.row_from) + lane_height * 0.3f;
    const float y1 = lane_top(flow.row_to) + lane_height * 0.3f;
    draw->AddLine(ImVec2(x_at(flow.x0), y0), ImVec2(x_at(flow.x1), y1),
                  request_colour(flow.req, palette, 0.7f), 1.5f * scale);
  }

  // The cursor: the current step's moment, across every lane.
  if (auto current = model.current_event()) {
    const trace::Event& event = events[*current];
    const float x = x_at(window_.x_of(static_cast<double>(event.t_ns)));
    draw->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + lane_height * rows), palette.cursor,
                  2.5f * scale);
    const float y = lane_top(timeline.row_of_event(*current)) + lane_height * 0.3f;
    draw->AddCircle(ImVec2(x, y), 8 * scale, palette.cursor, 0, 2.5f * scale);
  }
  if (auto picked = model.selected_event(); picked && picked != model.current_event()) {
    const float x = x_at(window_.x_of(static_cast<double>(events[*picked].t_ns)));
    const float y = lane_top(timeline.row_of_event(*picked)) + lane_height * 0.3f;
    draw->AddCircle(ImVec2(x, y), 8 * scale, palette.selection, 0, 2 * scale);
  }
  draw->PopClipRect();

  ImGui::SetCursorScreenPos(ImVec2(track_min.x, origin.y));
  handle_mouse(context, track_min, lane_height, width);
  ImGui::EndChild();
}

void TimelinePane::handle_mouse(ViewContext& context, ImVec2 track_min, float lane_height,
                                float width) {
  lesson::ViewerModel& model = *context.model;
  const lesson::TimelineModel& timeline = model.timeline();
  const float height =
      lane_height * static_cast<float>(std::max<std::size_t>(timeline.row_count(), 1));
  ImGui::InvisibleButton("track", ImVec2(width, height));
  const ImGuiIO& io = ImGui::GetIO();
  const double mouse_x = io.MousePos.x - track_min.x;
  const auto row =
      static_cast<std::size_t>(std::max(0.0f, (io.MousePos.y - track_min.y) / lane_height));

  if (ImGui::IsItemHovered() && io.MouseWheel != 0)
    window_.zoom_at(mouse_x, std::pow(1.25, static_cast<double>(io.MouseWheel)));
  if (ImGui::IsItemActivated()) dragged_ = false;
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
    window_.pan(io.MouseDelta.x);
    dragged_ = true;
  }
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    fitted_ = false;
    return;
  }
  if (!ImGui::IsItemHovered() || row >= timeline.row_count()) return;
  auto near = timeline.event_near(row, window_, mouse_x, 6 * context.scale);
  if (!near) near = timeline.span_at(row, window_, mouse_x);
  if (!near) return;
  if (!ImGui::IsItemActive()) event_tooltip(context.events()[*near]);
  if (ImGui::IsItemDeactivated() && !dragged_) model.select_event(*near);
}

}  // namespace reqtrace::ui
