#include "ui/viewer.hpp"

#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "lesson/view/scenario_reload.hpp"
#include "ui/layout.hpp"
#include "ui/widgets.hpp"

namespace reqtrace::ui {
namespace {

constexpr std::array<float, 7> kFontScales = {1.0f, 1.25f, 1.5f, 1.75f, 2.0f, 2.5f, 3.0f};

bool pressed(int key, bool repeat = false) {
  return key >= 0 && ImGui::IsKeyPressed(key, repeat);
}

}  // namespace

Viewer::Viewer(ViewerActions actions, KeyCodes keys) : actions_(std::move(actions)), keys_(keys) {}

void Viewer::show(std::shared_ptr<trace::Session> session,
                  std::unique_ptr<lesson::ViewerModel> model) {
  session_ = std::move(session);
  model_ = std::move(model);
  reorders_seen_ = session_ ? session_->reorders() : 0;
  for (View* view : std::initializer_list<View*>{&transport_, &timeline_, &steps_, &flow_,
                                                 &narration_, &tracker_, &inspector_, &quiz_})
    view->reset();
  quiz_from_ = model_ ? model_->transport().step() : 0;
  quiz_level_ = model_ ? model_->level() : 0;
}

void Viewer::reload_lesson(const scenario::Scenario& scenario) {
  if (!session_ || !model_) return;
  const auto& events = session_->events();
  auto model = std::make_unique<lesson::ViewerModel>(scenario, model_->level());
  model->update(events);
  if (model_->transport().following())
    model->transport().set_following(true);
  else if (const auto at = model_->current_event(); at && !model->transport().empty())
    model->transport().go_to(lesson::keep_place(events, *at, events, model->walkthrough().steps()));
  model->quiz().carry_over(model_->quiz());
  model_ = std::move(model);
  quiz_from_ = model_->transport().step();
}

void Viewer::show_problem(std::string text) {
  if (std::find(problems_.begin(), problems_.end(), text) == problems_.end())
    problems_.push_back(std::move(text));
}

void Viewer::set_font_scale(float scale) {
  font_scale_ = std::clamp(scale, kMinFontScale, kMaxFontScale);
}

bool Viewer::busy() const {
  return run_.busy() || (model_ && model_->transport().playing()) ||
         (session_ && session_->waiting() > 0);
}

std::string Viewer::title() const {
  std::string title = "reqtrace";
  if (model_) title += " — " + model_->scenario().title;
  if (session_) title += " — " + session_->source();
  return title;
}

ViewContext Viewer::context() {
  ViewContext context;
  context.session = session_.get();
  context.model = model_.get();
  context.palette = &palette(theme_);
  context.fonts = fonts_;
  context.scale = font_scale_;
  context.run = run_;
  context.can_run = can_run_;
  context.animate = animate_;
  context.actions = &actions_;
  return context;
}

void Viewer::take_in_events() {
  if (!session_ || !model_) return;
  session_->poll();
  if (session_->reorders() != reorders_seen_) {
    // A late event landed among those already read: build the model again.
    reorders_seen_ = session_->reorders();
    auto rebuilt = std::make_unique<lesson::ViewerModel>(model_->scenario(), model_->level());
    rebuilt->transport().set_following(model_->transport().following());
    rebuilt->update(session_->events());
    rebuilt->quiz().carry_over(model_->quiz());  // the class's answers outlive the rebuild
    model_ = std::move(rebuilt);
  }
  model_->update(session_->events());
}

void Viewer::stop_for_quizzes(bool was_playing) {
  if (!model_) return;
  lesson::Transport& transport = model_->transport();
  if (model_->level() != quiz_level_) {
    quiz_level_ = model_->level();
    quiz_from_ = transport.step();
    return;
  }
  const std::size_t from = quiz_from_;
  // Playback and Next (a key or the bar's button, in the last frame) step; other moves jump.
  const bool stepping = was_playing || transport.step() == from + 1;
  if (model_->quiz().gate(from, transport, stepping)) quiz_asked_ = true;
  quiz_from_ = transport.step();
}

void Viewer::set_level(int level) {
  if (model_ && session_) model_->set_level(session_->events(), level);
  if (model_) quiz_from_ = model_->transport().step();  // the same moment: nothing was stepped
}

void Viewer::answer_keys() {
  const ImGuiIO& io = ImGui::GetIO();
  if (pressed(keys_.f1)) help_.toggle();
  if (pressed(keys_.f11) && actions_.toggle_fullscreen) actions_.toggle_fullscreen();
  if (io.WantTextInput) return;  // typing a step number or a path
  if (io.KeyCtrl) {
    const auto current = std::find(kFontScales.begin(), kFontScales.end(), font_scale_);
    const std::size_t at =
        current == kFontScales.end() ? 0 : static_cast<std::size_t>(current - kFontScales.begin());
    if ((pressed(keys_.equal) || pressed(keys_.keypad_add)) && at + 1 < kFontScales.size())
      set_font_scale(kFontScales[at + 1]);
    if ((pressed(keys_.minus) || pressed(keys_.keypad_subtract)) && at > 0)
      set_font_scale(kFontScales[at - 1]);
    if (pressed(keys_.letter_o)) open_dialog_ = true;
    return;
  }
  if (!model_) return;
  lesson::Transport& transport = model_->transport();
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow), true)) transport.back();
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow), true)) transport.next();
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_Space))) transport.toggle_play();
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_Home))) transport.first();
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_End))) transport.last();
  if (pressed(keys_.digit_1)) set_level(1);
  if (pressed(keys_.digit_2)) set_level(2);
  if (pressed(keys_.digit_3)) set_level(3);
}

void Viewer::frame(double seconds) {
  take_in_events();
  const bool was_playing = model_ && model_->transport().playing();
  if (model_) model_->transport().tick(seconds);
  answer_keys();
  stop_for_quizzes(was_playing);

  draw_menu();
  ViewContext view_context = context();
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const Rect area{viewport->WorkPos, viewport->WorkSize};
  float problem_height = 0;
  if (!problems_.empty()) {
    const ImGuiStyle& style = ImGui::GetStyle();
    for (const auto& problem : problems_)
      problem_height += ImGui::CalcTextSize(problem.c_str(), nullptr, false, area.size.x * 0.8f).y +
                        style.ItemSpacing.y;
    problem_height += ImGui::GetFrameHeightWithSpacing() + style.WindowPadding.y * 2;
    problem_height = std::min(problem_height, area.size.y * 0.3f);
  }
  const float transport_height =
      transport_.height() > 0 ? transport_.height() : ImGui::GetFrameHeightWithSpacing() * 2.5f;
  const PaneLayout layout = lay_out_panes(area, transport_height, problem_height,
                                          model_ ? model_->timeline().row_count() : 3);

  transport_.draw(layout.transport, view_context);
  if (transport_.wants_open_dialog()) open_dialog_ = true;
  if (!problems_.empty()) draw_problems(layout.problem);
  timeline_.draw(layout.timeline, view_context);
  steps_.draw(layout.steps, view_context);
  tracker_.draw(layout.tracker, view_context);
  flow_.draw(layout.flow, view_context);
  narration_.draw(layout.narration, view_context);
  draw_details(layout.details, view_context);
  help_.draw(view_context);
  draw_open_dialog();
}

void Viewer::draw_details(const Rect& area, ViewContext& view_context) {
  ImGui::SetNextWindowBgAlpha(0.0f);  // the cleared frame is the background, see View::draw
  ImGui::SetNextWindowPos(area.pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(area.size, ImGuiCond_Always);
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                      ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin("Details", nullptr, kFlags) && ImGui::BeginTabBar("details")) {
    // Picking an event on the timeline brings the inspector to the front.
    const auto picked = model_ ? model_->selected_event() : std::nullopt;
    const bool newly_picked = picked &&
                              picked != (model_ ? model_->current_event() : std::nullopt) &&
                              picked != shown_pick_;
    shown_pick_ = picked;
    for (View* view : std::initializer_list<View*>{&inspector_, &quiz_}) {
      const bool forward = (view == &inspector_ && newly_picked) || (view == &quiz_ && quiz_asked_);
      const ImGuiTabItemFlags flags = forward ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(view->title(), nullptr, flags)) {
        ImGui::BeginChild(view->title());
        view->draw_body(view_context);
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
    quiz_asked_ = false;
  }
  ImGui::End();
}

void Viewer::draw_menu() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open trace or scenario…", "Ctrl+O")) open_dialog_ = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit") && actions_.quit) actions_.quit();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Run")) {
    if (ImGui::MenuItem("Run the scenario", nullptr, false, can_run_ && !run_.busy()))
      actions_.run();
    if (ImGui::MenuItem("Live: serve outside clients", nullptr, false, can_run_ && !run_.busy()))
      actions_.live();
    if (ImGui::MenuItem("Stop", nullptr, false, run_.busy())) actions_.stop();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    const int level = model_ ? model_->level() : 0;
    if (ImGui::MenuItem("Level 1: overview", "1", level == 1, model_ != nullptr)) set_level(1);
    if (ImGui::MenuItem("Level 2: server internals", "2", level == 2, model_ != nullptr))
      set_level(2);
    if (ImGui::MenuItem("Level 3: framework internals", "3", level == 3, model_ != nullptr))
      set_level(3);
    ImGui::Separator();
    for (Theme theme : {Theme::Dark, Theme::Light, Theme::HighContrast}) {
      const std::string label = std::string(name_of(theme)) + " theme";
      if (ImGui::MenuItem(label.c_str(), nullptr, theme_ == theme)) theme_ = theme;
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Larger text", "Ctrl+=", false, font_scale_ < kMaxFontScale))
      set_font_scale(font_scale_ + 0.25f);
    if (ImGui::MenuItem("Smaller text", "Ctrl+-", false, font_scale_ > kMinFontScale))
      set_font_scale(font_scale_ - 0.25f);
    if (ImGui::MenuItem("Full screen", "F11") && actions_.toggle_fullscreen)
      actions_.toggle_fullscreen();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keyboard", "F1")) help_.toggle();
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

void Viewer::draw_problems(const Rect& area) {
  const Palette& colours = palette(theme_);
  ImGui::SetNextWindowPos(area.pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(area.size, ImGuiCond_Always);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, colours.problem_back);
  ImGui::PushStyleColor(ImGuiCol_Text, colours.problem_text);
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoCollapse;
  if (ImGui::Begin("Problems", nullptr, kFlags)) {
    ImGui::PushTextWrapPos(area.size.x * 0.8f);
    for (const auto& problem : problems_) ImGui::TextUnformatted(problem.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Dismiss")) problems_.clear();
  }
  ImGui::End();
  ImGui::PopStyleColor(2);
}

void Viewer::draw_open_dialog() {
  if (open_dialog_) {
    ImGui::OpenPopup("Open a trace or a scenario");
    open_dialog_ = false;
  }
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                                 viewport->WorkPos.y + viewport->WorkSize.y * 0.4f),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal("Open a trace or a scenario", nullptr,
                              ImGuiWindowFlags_AlwaysAutoResize))
    return;
  ImGui::TextUnformatted("A trace file (.jsonl), a scenario file, or a shipped scenario's name:");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 28);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputTextWithHint("##path", "hello-wsgi, or t.jsonl", &open_path_,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
  coloured_text(palette(theme_).dim_text, "You can also drop a file on the window.");
  if ((ImGui::Button("Open") || entered) && !open_path_.empty()) {
    actions_.open(open_path_);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
    ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace reqtrace::ui
