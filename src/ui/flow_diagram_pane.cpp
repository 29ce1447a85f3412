#include "ui/flow_diagram_pane.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "lesson/view/flow_diagram.hpp"

namespace reqtrace::ui {
namespace {

struct Placed {
  ImVec2 min, max;
  ImVec2 centre() const { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
};

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) {
  return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
}

void arrow_line(ImDrawList* draw, ImVec2 from, ImVec2 to, ImU32 colour, float thickness,
                float head) {
  draw->AddLine(from, to, colour, thickness);
  const float dx = to.x - from.x, dy = to.y - from.y;
  const float length = std::max(std::sqrt(dx * dx + dy * dy), 1.0f);
  const ImVec2 along(dx / length, dy / length), across(-along.y, along.x);
  const ImVec2 back(to.x - along.x * head, to.y - along.y * head);
  draw->AddTriangleFilled(
      to, ImVec2(back.x + across.x * head * 0.5f, back.y + across.y * head * 0.5f),
      ImVec2(back.x - across.x * head * 0.5f, back.y - across.y * head * 0.5f), colour);
}

void centred_text(ImDrawList* draw, ImFont* font, float size, ImVec2 centre, ImU32 colour,
                  const std::string& text, float wrap) {
  const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, wrap, text.c_str());
  draw->AddText(font, size, ImVec2(centre.x - extent.x * 0.5f, centre.y), colour, text.c_str(),
                nullptr, wrap);
}

}  // namespace

void FlowDiagramPane::draw_content(ViewContext& context) {
  lesson::ViewerModel& model = *context.model;
  const lesson::FlowDiagram diagram = model.flow(context.events());
  const Palette& palette = *context.palette;
  const float font = ImGui::GetFontSize();
  const float scale = context.scale;
  ImFont* text_font = ImGui::GetFont();

  // Columns as the diagram places them: the browser, the proxy if any, the server side (an
  // arbiter and its workers stacked, a pool's threads or forked children beside them), the app.
  std::vector<std::vector<std::size_t>> columns;
  for (std::size_t b = 0; b < diagram.boxes.size(); ++b) {
    const auto column = static_cast<std::size_t>(std::max(diagram.boxes[b].column, 0));
    if (columns.size() <= column) columns.resize(column + 1);
    columns[column].push_back(b);
  }
  columns.erase(std::remove_if(columns.begin(), columns.end(),
                               [](const auto& boxes) { return boxes.empty(); }),
                columns.end());

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // The sentence under the boxes only when there is room for it and them.
  const bool with_caption = avail.y > font * 7;
  const float caption_lines = diagram.structure.empty() ? 2.5f : 4.5f;
  const float caption_height =
      with_caption ? ImGui::GetTextLineHeightWithSpacing() * caption_lines : 0;
  const float canvas_height = std::max(avail.y - caption_height, font * 2.2f);
  const auto column_count = static_cast<float>(columns.size());
  const float box_width = avail.x / (column_count * 1.55f);
  const float gap = (avail.x - box_width * column_count) / std::max(column_count - 1, 1.0f);
  std::vector<Placed> placed(diagram.boxes.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto stacked = static_cast<float>(columns[c].size());
    const float spacing = font * 0.5f;
    const float box_height =
        std::min(font * 4.2f, (canvas_height - spacing * (stacked - 1)) / stacked);
    const float total = box_height * stacked + spacing * (stacked - 1);
    const float x = origin.x + static_cast<float>(c) * (box_width + gap);
    float y = origin.y + (canvas_height - total) * 0.5f;
    for (std::size_t b : columns[c]) {
      placed[b] = {ImVec2(x, y), ImVec2(x + box_width, y + box_height)};
      y += box_height + spacing;
    }
  }

  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float offset = std::min(font * 0.45f, 10 * scale);
  const float head = 9 * scale;
  // Each arrow is a pair: the request goes over the top line, the response back along the lower.
  struct Lines {
    ImVec2 go_from, go_to, back_from, back_to;
  };
  std::vector<Lines> lines;
  for (const auto& arrow : diagram.arrows) {
    const Placed& from = placed[arrow.from];
    const Placed& to = placed[arrow.to];
    const ImVec2 a(from.max.x, from.centre().y), b(to.min.x, to.centre().y);
    lines.push_back({ImVec2(a.x + 2, a.y - offset), ImVec2(b.x - 2, b.y - offset),
                     ImVec2(b.x - 2, b.y + offset), ImVec2(a.x + 2, a.y + offset)});
  }
  for (std::size_t a = 0; a < diagram.arrows.size(); ++a) {
    const bool active = diagram.arrows[a].active;
    const bool going = diagram.travel && diagram.travel->arrow == a && diagram.travel->towards_app;
    const bool coming =
        diagram.travel && diagram.travel->arrow == a && !diagram.travel->towards_app;
    arrow_line(draw, lines[a].go_from, lines[a].go_to,
               active && going ? palette.arrow_active : palette.arrow,
               (active && going ? 3.0f : 1.5f) * scale, head);
    arrow_line(draw, lines[a].back_from, lines[a].back_to,
               active && coming ? palette.arrow_active : palette.arrow,
               (active && coming ? 3.0f : 1.5f) * scale, head);
  }

  for (std::size_t b = 0; b < diagram.boxes.size(); ++b) {
    const lesson::FlowBox& box = diagram.boxes[b];
    const Placed& at = placed[b];
    draw->AddRectFilled(at.min, at.max, box.lit ? palette.lit_box : palette.box, 6 * scale);
    draw->AddRect(at.min, at.max, palette.box_border, 6 * scale, 0, 1.5f * scale);
    const ImU32 text = box.lit ? palette.lit_box_text : ImGui::GetColorU32(ImGuiCol_Text);
    const float inner = box_width - font * 0.6f;
    const float title_y = at.min.y + std::max(2.0f, (at.max.y - at.min.y) * 0.5f - font * 1.1f);
    centred_text(draw, text_font, font, ImVec2(at.centre().x, title_y), text, box.title, inner);
    if (at.max.y - at.min.y > font * 2.6f)
      centred_text(draw, text_font, font * 0.85f, ImVec2(at.centre().x, title_y + font * 1.25f),
                   box.lit ? palette.lit_box_text : palette.dim_text, box.caption, inner);
  }

  if (diagram.travel) {
    const lesson::FlowTravel& travel = *diagram.travel;
    const std::size_t step = model.transport().step();
    if (step != animated_step_) {
      animated_step_ = step;
      animation_start_ = ImGui::GetTime();
    }
    const float eased =
        context.animate
            ? static_cast<float>(std::min(1.0, (ImGui::GetTime() - animation_start_) / 0.45))
            : 1.0f;
    const float progress = travel.progress * (1 - (1 - eased) * (1 - eased));
    const Lines& line = lines[travel.arrow];
    const ImVec2 token = travel.towards_app ? lerp(line.go_from, line.go_to, progress)
                                            : lerp(line.back_from, line.back_to, progress);
    const ImU32 colour = request_colour(diagram.req, palette);
    draw->AddCircleFilled(token, 7.5f * scale, colour);
    draw->AddCircle(token, 7.5f * scale, ImGui::GetColorU32(ImGuiCol_Text), 0, 1.5f * scale);
    // What travels, named over the middle of its line: clear of the boxes.
    const ImVec2 label_size = ImGui::CalcTextSize(travel.what.c_str());
    const ImVec2 middle = travel.towards_app ? lerp(line.go_from, line.go_to, 0.5f)
                                             : lerp(line.back_from, line.back_to, 0.5f);
    const float label_y = travel.towards_app ? middle.y - font * 1.5f : middle.y + font * 0.5f;
    draw->AddText(ImVec2(middle.x - label_size.x * 0.5f, label_y), colour, travel.what.c_str());
  }

  if (!with_caption) return;
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + canvas_height));
  ImGui::PushTextWrapPos(0);
  if (diagram.req) ImGui::TextDisabled("Request %d", diagram.req);
  if (diagram.req) ImGui::SameLine();
  ImGui::TextUnformatted(diagram.happening.c_str());
  if (!diagram.structure.empty()) ImGui::TextDisabled("%s", diagram.structure.c_str());
  ImGui::PopTextWrapPos();
}

}  // namespace reqtrace::ui
