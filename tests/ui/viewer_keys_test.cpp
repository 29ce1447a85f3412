// The viewer's behaviour frame by frame, without a window: Dear ImGui runs
// headless, keys are pressed as the GLFW backend would press them.
#include <gtest/gtest.h>
#include <imgui.h>

#include <memory>
#include <optional>
#include <string>

#include "lesson/view/viewer_model.hpp"
#include "scenario/load.hpp"
#include "trace/session.hpp"
#include "trace/trace_reader.hpp"
#include "ui/fonts.hpp"
#include "ui/viewer.hpp"

namespace reqtrace::ui {
namespace {

// Native key numbers of our own, as a backend would define them.
enum Native {
  kLeft = 1,
  kRight,
  kUp,
  kDown,
  kHome,
  kEnd,
  kSpace,
  kEnter,
  kEscape,
  kF1 = 100,
  kF11,
  k1,
  k2,
  k3,
  kEqual,
  kMinus,
  kO
};

class HeadlessViewer : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 720);
    io.KeyMap[ImGuiKey_LeftArrow] = kLeft;
    io.KeyMap[ImGuiKey_RightArrow] = kRight;
    io.KeyMap[ImGuiKey_UpArrow] = kUp;
    io.KeyMap[ImGuiKey_DownArrow] = kDown;
    io.KeyMap[ImGuiKey_Home] = kHome;
    io.KeyMap[ImGuiKey_End] = kEnd;
    io.KeyMap[ImGuiKey_Space] = kSpace;
    io.KeyMap[ImGuiKey_Enter] = kEnter;
    io.KeyMap[ImGuiKey_Escape] = kEscape;
    fonts_ = load_fonts(*io.Fonts, 1.0f, font_dirs(nullptr));
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    apply_theme(Theme::Dark, 1.0f);

    KeyCodes keys;
    keys.f1 = kF1;
    keys.f11 = kF11;
    keys.digit_1 = k1;
    keys.digit_2 = k2;
    keys.digit_3 = k3;
    keys.equal = kEqual;
    keys.minus = kMinus;
    keys.letter_o = kO;
    ViewerActions actions;
    actions.toggle_fullscreen = [this] { ++fullscreen_toggles_; };
    viewer_ = std::make_unique<Viewer>(actions, keys);
    viewer_->set_fonts(&fonts_);
  }
  void TearDown() override {
    viewer_.reset();
    ImGui::DestroyContext();
  }

  // One frame of `seconds`, with `keys` held down during it.
  void frame(std::initializer_list<int> keys = {}, bool ctrl = false, double seconds = 1.0 / 60) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = static_cast<float>(seconds);
    for (int key : keys) io.KeysDown[key] = true;
    io.KeyCtrl = ctrl;
    ImGui::NewFrame();
    viewer_->frame(seconds);
    ImGui::Render();
    for (int key : keys) io.KeysDown[key] = false;
    io.KeyCtrl = false;
  }
  void press(int key, bool ctrl = false) {
    frame({key}, ctrl);
    frame();
  }

  void show_hello() {
    auto loaded = trace::read_trace(REQTRACE_UI_TEST_DATA "/hello-wsgi.jsonl");
    auto scenario = scenario::load_json(loaded.trace->scenario, "hello-wsgi");
    auto session = std::make_shared<trace::Session>(loaded.trace->scenario,
                                                    std::move(loaded.trace->events), "hello");
    auto model = std::make_unique<lesson::ViewerModel>(*scenario.scenario, 1);
    model->update(session->events());
    viewer_->show(session, std::move(model));
  }
  lesson::Transport& transport() { return viewer_->model()->transport(); }

  Fonts fonts_;
  std::unique_ptr<Viewer> viewer_;
  int fullscreen_toggles_ = 0;
};

TEST_F(HeadlessViewer, EveryPaneDrawsItsEmptyStateBeforeAnythingIsOpen) {
  frame();
  frame();
  EXPECT_EQ(viewer_->model(), nullptr);
}

TEST_F(HeadlessViewer, ArrowsHomeEndAndSpaceMoveThroughTheSteps) {
  show_hello();
  frame();
  press(kRight);
  press(kRight);
  EXPECT_EQ(transport().step(), 2u);
  press(kLeft);
  EXPECT_EQ(transport().step(), 1u);
  press(kEnd);
  EXPECT_EQ(transport().step(), 5u);
  press(kHome);
  EXPECT_EQ(transport().step(), 0u);
  press(kSpace);
  EXPECT_TRUE(transport().playing());
  for (int i = 0; i < 3; ++i) frame({}, false, 0.5);  // 1.5 s at 1×: a step and a half
  EXPECT_EQ(transport().step(), 1u);
  press(kSpace);
  EXPECT_FALSE(transport().playing());
}

TEST_F(HeadlessViewer, DigitsChangeTheLevelAndKeepTheMoment) {
  show_hello();
  frame();
  transport().go_to(2);  // the server calls the app
  press(k3);
  EXPECT_EQ(viewer_->model()->level(), 3);
  EXPECT_EQ(viewer_->session()->events()[*viewer_->model()->current_event()].phase,
            trace::Phase::CallingApp);
  press(k2);
  EXPECT_EQ(viewer_->model()->level(), 2);
  press(k1);
  EXPECT_EQ(transport().step(), 2u);
}

TEST_F(HeadlessViewer, CtrlPlusAndMinusScaleTheTextF1HelpsF11FillsTheScreen) {
  show_hello();
  frame();
  press(kEqual, true);
  EXPECT_FLOAT_EQ(viewer_->font_scale(), 1.25f);
  for (int i = 0; i < 10; ++i) press(kEqual, true);
  EXPECT_FLOAT_EQ(viewer_->font_scale(), 3.0f);
  press(kMinus, true);
  EXPECT_FLOAT_EQ(viewer_->font_scale(), 2.5f);
  press(kF1);
  EXPECT_TRUE(viewer_->help_shown());
  press(kF1);
  EXPECT_FALSE(viewer_->help_shown());
  press(kF11);
  EXPECT_EQ(fullscreen_toggles_, 1);
}

TEST_F(HeadlessViewer, ALiveSessionGrowsBetweenFramesAndIsFollowedUntilStepBack) {
  auto loaded = trace::read_trace(REQTRACE_UI_TEST_DATA "/hello-wsgi.jsonl");
  const auto events = loaded.trace->events;
  auto scenario = scenario::load_json(loaded.trace->scenario, "hello-wsgi");
  auto session = std::make_shared<trace::Session>(loaded.trace->scenario, "live: hello-wsgi");
  auto model = std::make_unique<lesson::ViewerModel>(*scenario.scenario, 1);
  model->transport().set_following(true);
  viewer_->show(session, std::move(model));
  frame();
  EXPECT_EQ(transport().count(), 0u);
  // The stack's threads append; the frame loop's next frame shows it.
  session->append({events.begin(), events.begin() + 10});
  frame();
  EXPECT_EQ(transport().count(), 3u);
  EXPECT_EQ(transport().step(), 2u);
  press(kLeft);
  EXPECT_FALSE(transport().following());
  session->append({events.begin() + 10, events.end()});
  frame();
  EXPECT_EQ(transport().count(), 6u);
  EXPECT_EQ(transport().step(), 1u);  // stepped back: the cursor stays
}

TEST_F(HeadlessViewer, ProblemsStayUntilDismissedAndTheWindowKeepsWorking) {
  viewer_->show_problem("t.jsonl:3:1: /seq: expected a whole number");
  viewer_->show_problem("t.jsonl:3:1: /seq: expected a whole number");
  frame();
  EXPECT_EQ(viewer_->problems().size(), 1u);
  show_hello();
  frame();
  press(kRight);
  EXPECT_EQ(transport().step(), 1u);
}

TEST_F(HeadlessViewer, NextStopsAtTheFirstQuizAndARightAnswerScores) {
  show_hello();
  frame();
  const lesson::QuizSession& session = viewer_->model()->quiz().session();
  ASSERT_GT(session.size(), 0u);
  const lesson::Question first = session.question(0);
  // Stepping with Next stops where the first question is due, and asks it.
  for (int i = 0; i < 10 && !session.current(); ++i) press(kRight);
  ASSERT_EQ(session.current(), std::optional<std::size_t>(0));
  EXPECT_EQ(session.state(), lesson::QuizSession::State::Asking);
  EXPECT_FALSE(transport().playing());
  EXPECT_EQ(transport().step(),
            first.when == lesson::AskWhen::BeforeStep ? first.step - 1 : first.step);
  const std::size_t held = transport().step();
  press(kRight);  // an open question holds the cursor until it is answered
  EXPECT_EQ(transport().step(), held);
  EXPECT_EQ(session.current(), std::optional<std::size_t>(0));

  // The teacher checks the room's answer in class mode: the same check.
  viewer_->model()->quiz().set_class_mode(true);
  EXPECT_EQ(viewer_->model()->quiz().session().check(first.answer_text()), lesson::Verdict::Right);
  frame();
  EXPECT_EQ(session.state(), lesson::QuizSession::State::Answered);
  EXPECT_TRUE(session.result(0).correct);
  EXPECT_EQ(session.score().right, 1);
  EXPECT_EQ(session.score().answered, 1);
  EXPECT_EQ(viewer_->model()->quiz().score_text(), "1/" + std::to_string(session.size()));
}

TEST_F(HeadlessViewer, PlayingPausesAtAQuizAndALevelChangeKeepsItsResult) {
  show_hello();
  frame();
  const lesson::QuizSession& session = viewer_->model()->quiz().session();
  ASSERT_GT(session.size(), 0u);
  press(kSpace);
  for (int i = 0; i < 20 && !session.current(); ++i) frame({}, false, 0.5);
  ASSERT_TRUE(session.current().has_value());
  EXPECT_FALSE(transport().playing());
  const std::string id = session.question(*session.current()).id;
  viewer_->model()->quiz().session().give_up();
  press(k2);  // placed again at level 2: the result carries over by id
  const auto found = viewer_->model()->quiz().session().find(id);
  if (found) {
    EXPECT_TRUE(viewer_->model()->quiz().session().result(*found).gave_up);
  }
}

TEST_F(HeadlessViewer, AnEditedLessonReloadsAtTheSameStepWithTheQuizKept) {
  show_hello();
  frame();
  for (int i = 0; i < 10 && !viewer_->model()->quiz().session().current(); ++i) press(kRight);
  lesson::QuizSession& session = viewer_->model()->quiz().session();
  ASSERT_TRUE(session.current().has_value());
  const std::string id = session.question(*session.current()).id;
  session.give_up();
  const std::size_t step = transport().step();

  scenario::Scenario edited = viewer_->model()->scenario();
  edited.title += " (edited)";
  viewer_->reload_lesson(edited);
  frame();
  EXPECT_EQ(viewer_->model()->scenario().title, edited.title);
  EXPECT_EQ(transport().step(), step);
  const auto found = viewer_->model()->quiz().session().find(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(viewer_->model()->quiz().session().result(*found).gave_up);
}

}  // namespace
}  // namespace reqtrace::ui
