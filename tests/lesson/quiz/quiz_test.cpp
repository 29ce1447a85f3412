// Placing quizzes on a trace at a level, grading answers against the trace, and questions made
// from a trace with no authored quiz.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "lesson/quiz/generated_questions.hpp"
#include "lesson/quiz/quiz.hpp"
#include "lesson/quiz/quiz_placement.hpp"
#include "lesson/steps.hpp"
#include "lesson/walkthrough.hpp"

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Event;
using trace::Phase;
using About = scenario::PredictAbout;

Event make(Actor actor, Phase phase, int level, std::string msg, trace::Vars vars = {},
           int req = 1) {
  Event event;
  event.actor = actor;
  event.lane = std::string(trace::name_of(actor));
  event.phase = phase;
  event.level = level;
  event.req = req;
  event.msg = std::move(msg);
  event.vars = std::move(vars);
  return event;
}

// One GET / as the stack records it: six level-1 steps with finer events between them.
std::vector<Event> hello_events() {
  return {
      make(Actor::Server, Phase::Listening, 1, "Server listens",
           {{"server.state", "Listening for requests"}}, 0),
      make(Actor::Client, Phase::Send, 2, "Browser sends GET /"),
      make(Actor::Server, Phase::Accept, 2, "Server accepts", {}, 0),
      make(Actor::Server, Phase::RequestReceived, 1, "Request arrives",
           {{"server.state", "Request received"}}),
      make(Actor::Server, Phase::CallingApp, 1, "Server calls the app",
           {{"server.state", "Processing request"}}),
      make(Actor::App, Phase::Call, 3, "Flask.__call__"),
      make(Actor::App, Phase::View, 3, "home() runs", {{"app.state", "Running home() route"}}),
      make(Actor::Server, Phase::StartResponse, 2, "App calls start_response"),
      make(Actor::Server, Phase::ResponseReady, 1, "App returns",
           {{"server.state", "Waiting to send response"}, {"app.state", "Response ready"}}),
      make(Actor::Server, Phase::Sending, 2, "Server writes the head"),
      make(Actor::Server, Phase::Sent, 1, "Server sends the response",
           {{"server.state", "Idle, waiting for next request"}, {"response.sent", "Yes"}}),
      make(Actor::App, Phase::Close, 3, "close()", {{"app.state", "Idle"}}),
      make(Actor::Client, Phase::Receive, 1, "Client receives the response"),
  };
}

scenario::Scenario hello_scenario() {
  scenario::Scenario hello;
  hello.id = "hello";
  hello.track = {{"server.state", "WSGI Server State", "Idle"},
                 {"app.state", "Flask App State", "Not called yet"},
                 {"response.sent", "Response Sent", "No"}};
  return hello;
}

scenario::Quiz quiz(std::string id, QuizKind kind, Phase phase) {
  scenario::Quiz made;
  made.id = std::move(id);
  made.kind = kind;
  made.at = {phase, 1};
  made.question = "?";
  return made;
}

scenario::Quiz with_choices(scenario::Quiz made, const std::vector<std::string>& texts,
                            const std::vector<std::string>& values = {}) {
  made.choices = texts;
  made.choice_values = values.empty() ? texts : values;
  return made;
}

PlacedQuizzes place_on_hello(const scenario::Scenario& hello, int level) {
  const auto events = hello_events();
  return place_quizzes(hello, events, Walkthrough(hello.track, level, events));
}

PlacedQuizzes place_one(const scenario::Quiz& one, int level) {
  scenario::Scenario hello = hello_scenario();
  hello.quizzes = {one};
  return place_on_hello(hello, level);
}

TEST(PlaceQuizzes, AChoiceIsAskedAfterItsStepAtEveryLevel) {
  auto ready = with_choices(quiz("ready", QuizKind::Choice, Phase::ResponseReady), {"a", "b", "c"});
  ready.answer = 2;
  for (int level : {1, 2, 3}) {
    auto placed = place_one(ready, level);
    ASSERT_EQ(placed.questions.size(), 1u) << level;
    const Question& question = placed.questions[0];
    EXPECT_EQ(question.when, AskWhen::AfterStep);
    EXPECT_EQ(question.event, 8u);
    const auto steps = steps_at_level(hello_events(), level);
    EXPECT_EQ(steps[question.step].event, 8u) << level;
    EXPECT_EQ(question.right_choice, 2u);
    EXPECT_EQ(question.answer_text(), "c");
  }
  EXPECT_EQ(place_one(ready, 1).questions[0].step, 3u);  // step 4 of the classic six
  EXPECT_EQ(place_one(ready, 3).questions[0].step, 8u);
}

TEST(PlaceQuizzes, AValueIsGradedAgainstTheFoldNotTheAuthor) {
  auto state = quiz("state", QuizKind::Value, Phase::ResponseReady);
  state.var = "server.state";
  state.answer = "Something the author got wrong";
  auto placed = place_one(state, 1);
  ASSERT_EQ(placed.questions.size(), 1u);
  const Question& question = placed.questions[0];
  EXPECT_EQ(question.expected, "Waiting to send response");
  EXPECT_TRUE(question.choices.empty());
  EXPECT_EQ(grade(question, "  waiting to SEND\tresponse ").verdict, Verdict::Right);
  EXPECT_EQ(grade(question, "Something the author got wrong").verdict, Verdict::Wrong);
  EXPECT_EQ(grade(question, "   ").verdict, Verdict::Unreadable);
}

// The author's other forms of a typed answer are right too, but only while the trace agrees with
// the author: a trace that did something else is graded against what it did.
TEST(PlaceQuizzes, AValueAcceptsTheAuthorsOtherFormsWhenTheTraceAgrees) {
  auto state = quiz("state", QuizKind::Value, Phase::ResponseReady);
  state.var = "server.state";
  state.answer = "Waiting to send response";
  state.accept = {"waiting to send", "waiting"};
  Question agreed = place_one(state, 1).questions.at(0);
  EXPECT_EQ(agreed.accepted, state.accept);
  EXPECT_EQ(grade(agreed, "Waiting to send").verdict, Verdict::Right);
  EXPECT_EQ(grade(agreed, "WAITING").verdict, Verdict::Right);
  EXPECT_EQ(grade(agreed, "waiting to").verdict, Verdict::Wrong);

  state.answer = "Sending";  // the author expected another value: the forms belong to it
  Question disagreed = place_one(state, 1).questions.at(0);
  EXPECT_TRUE(disagreed.accepted.empty());
  EXPECT_EQ(grade(disagreed, "waiting").verdict, Verdict::Wrong);
  EXPECT_EQ(grade(disagreed, "Waiting to send response").verdict, Verdict::Right);
}

TEST(PlaceQuizzes, AFinerAnchorIsAskedAfterTheStepThatCoversIt) {
  auto running = quiz("running", QuizKind::Value, Phase::View);
  running.var = "app.state";
  auto level1 = place_one(running, 1);
  ASSERT_EQ(level1.questions.size(), 1u);
  EXPECT_EQ(level1.questions[0].step, 2u);  // "Server calls the app"
  EXPECT_EQ(level1.questions[0].expected, "Running home() route");
  auto level3 = place_one(running, 3);
  EXPECT_EQ(steps_at_level(hello_events(), 3)[level3.questions[0].step].event, 6u);
  EXPECT_EQ(level3.questions[0].expected, "Running home() route");
}

TEST(PlaceQuizzes, APredictIsGradedByWhatTheTraceDid) {
  // The author expects choice 0; the trace says calling_app, which is choice 1.
  auto next = with_choices(quiz("next", QuizKind::Predict, Phase::CallingApp),
                           {"It sends at once", "It calls the app"}, {"sent", "calling_app"});
  next.about = About::Phase;
  next.answer = 0;
  auto placed = place_one(next, 1);
  ASSERT_EQ(placed.questions.size(), 1u);
  const Question& question = placed.questions[0];
  EXPECT_EQ(question.when, AskWhen::BeforeStep);
  EXPECT_EQ(question.step, 2u);
  EXPECT_EQ(question.right_choice, 1u);
  EXPECT_EQ(grade(question, "2").verdict, Verdict::Right);
  EXPECT_EQ(grade(question, "it calls THE app").verdict, Verdict::Right);
  EXPECT_EQ(grade(question, "calling_app").verdict, Verdict::Right);  // a choice's value
  EXPECT_EQ(grade(question, "1").verdict, Verdict::Wrong);
  EXPECT_EQ(grade(question, "3").verdict, Verdict::Unreadable);
  EXPECT_EQ(grade(question, "0").verdict, Verdict::Unreadable);
  EXPECT_EQ(grade(question, "something else").verdict, Verdict::Unreadable);
}

TEST(PlaceQuizzes, WhenNoChoiceIsWhatTheTraceDidItBecomesOne) {
  auto next = with_choices(quiz("next", QuizKind::Predict, Phase::CallingApp), {"a", "b"},
                           {"sent", "idle"});
  next.about = About::Phase;
  auto placed = place_one(next, 1);
  const Question& question = placed.questions[0];
  ASSERT_EQ(question.choices.size(), 3u);
  EXPECT_EQ(question.right_choice, 2u);
  EXPECT_EQ(question.choices[2].text, "Server calls the app");
  EXPECT_EQ(question.choices[2].value, "calling_app");
}

TEST(PlaceQuizzes, APredictWithoutChoicesGetsThemFromTheTrace) {
  auto next = quiz("next", QuizKind::Predict, Phase::ResponseReady);
  next.about = About::Phase;
  auto first = place_one(next, 1).questions.at(0);
  auto again = place_one(next, 1).questions.at(0);
  ASSERT_GE(first.choices.size(), 2u);
  ASSERT_TRUE(first.right_choice);
  EXPECT_EQ(first.choices[*first.right_choice].value, "response_ready");
  EXPECT_EQ(first.choices[*first.right_choice].text, "App returns");
  std::set<std::string> values;
  for (const Choice& choice : first.choices) values.insert(choice.value);
  EXPECT_EQ(values.size(), first.choices.size()) << "each choice a different outcome";
  EXPECT_EQ(again.right_choice, first.right_choice);  // the same order every time
  EXPECT_EQ(again.choices[0].text, first.choices[0].text);

  auto who = quiz("who", QuizKind::Predict, Phase::Receive);
  who.about = About::Actor;
  auto actor = place_one(who, 1).questions.at(0);
  EXPECT_EQ(actor.expected, "client");
  EXPECT_EQ(actor.choices[*actor.right_choice].value, "client");
  EXPECT_EQ(grade(actor, "client").verdict, Verdict::Right);
  EXPECT_EQ(grade(actor, "server").verdict, Verdict::Wrong);

  auto sent = quiz("sent", QuizKind::Predict, Phase::Sent);
  sent.about = About::Var;
  sent.var = "response.sent";
  auto value = place_one(sent, 1).questions.at(0);
  EXPECT_EQ(value.expected, "Yes");
  EXPECT_EQ(grade(value, "yes").verdict, Verdict::Right);
  EXPECT_EQ(grade(value, "no").verdict, Verdict::Wrong);
}

TEST(PlaceQuizzes, SkipsWhatDidNotHappenAndPredictionsOfHiddenSteps) {
  auto missing = quiz("missing", QuizKind::Choice, Phase::Error);
  missing.choices = {"a", "b"};
  missing.answer = 0;
  auto placed = place_one(missing, 3);
  EXPECT_TRUE(placed.questions.empty());
  ASSERT_EQ(placed.skipped.size(), 1u);
  EXPECT_EQ(placed.skipped[0].id, "missing");
  EXPECT_NE(placed.skipped[0].reason.find("did not happen"), std::string::npos);

  auto hidden = quiz("hidden", QuizKind::Predict, Phase::View);
  hidden.about = About::Phase;
  auto at_level1 = place_one(hidden, 1);
  EXPECT_TRUE(at_level1.questions.empty());
  ASSERT_EQ(at_level1.skipped.size(), 1u);
  EXPECT_NE(at_level1.skipped[0].reason.find("level 3"), std::string::npos)
      << at_level1.skipped[0].reason;
  EXPECT_EQ(place_one(hidden, 3).questions.size(), 1u);
}

TEST(PlaceQuizzes, StepPlaceholdersAreNumberedAtTheLevelShown) {
  auto ready = with_choices(quiz("ready", QuizKind::Choice, Phase::ResponseReady),
                            {"Step {step:calling_app}", "Step {step}", "{stepping} {step:nope}"});
  ready.answer = 1;
  ready.question = "Steps {step:request_received} to {step:receive}?";
  ready.explanation = "Ready at {step}, sent at {step:sent}.";
  const Question level1 = place_one(ready, 1).questions.at(0);
  EXPECT_EQ(level1.text, "Steps 2 to 6?");
  EXPECT_EQ(level1.choices[0].text, "Step 3");
  EXPECT_EQ(level1.choices[1].text, "Step 4");
  EXPECT_EQ(level1.choices[2].text, "{stepping} ?");  // not ours, and a phase that did not happen
  EXPECT_EQ(level1.explanation, "Ready at 4, sent at 5.");
  const Question level3 = place_one(ready, 3).questions.at(0);
  EXPECT_EQ(level3.choices[1].text, "Step 9");
  EXPECT_EQ(level3.explanation, "Ready at 9, sent at 11.");
  EXPECT_EQ(grade(level3, "step 9").verdict, Verdict::Right);
}

TEST(PlaceQuizzes, QuestionsComeInStepOrderPredictionsFirst) {
  scenario::Scenario hello = hello_scenario();
  auto after = with_choices(quiz("after", QuizKind::Choice, Phase::ResponseReady), {"a", "b"});
  after.answer = 0;
  auto early = with_choices(quiz("early", QuizKind::Choice, Phase::Listening), {"a", "b"});
  early.answer = 0;
  auto before = quiz("before", QuizKind::Predict, Phase::ResponseReady);
  before.about = About::Phase;
  hello.quizzes = {after, early, before};
  auto placed = place_on_hello(hello, 1);
  ASSERT_EQ(placed.questions.size(), 3u);
  EXPECT_EQ(placed.questions[0].id, "early");
  EXPECT_EQ(placed.questions[1].id, "before");
  EXPECT_EQ(placed.questions[2].id, "after");
}

// Every kind of quiz the placement knows, for checking it against a placement made afresh.
scenario::Scenario every_kind_of_quiz() {
  scenario::Scenario hello = hello_scenario();
  auto ready = with_choices(quiz("ready", QuizKind::Choice, Phase::ResponseReady),
                            {"Step {step:calling_app}", "Step {step}", "At {step:sent}"});
  ready.answer = 1;
  auto state = quiz("state", QuizKind::Value, Phase::View);
  state.var = "app.state";
  auto typed = with_choices(quiz("typed", QuizKind::Value, Phase::CallingApp), {"Idle", "x"});
  typed.var = "server.state";
  auto next = quiz("next", QuizKind::Predict, Phase::ResponseReady);
  next.about = About::Phase;
  auto who = quiz("who", QuizKind::Predict, Phase::Receive);
  who.about = About::Actor;
  auto sent = quiz("sent", QuizKind::Predict, Phase::Sent);
  sent.about = About::Var;
  sent.var = "response.sent";
  auto app = quiz("app", QuizKind::Predict, Phase::Close);
  app.about = About::Var;
  app.var = "app.state";
  auto early = quiz("early", QuizKind::Predict, Phase::CallingApp);
  early.about = About::Actor;
  early.question = "Before {step:receive}?";
  auto missing = with_choices(quiz("missing", QuizKind::Choice, Phase::Error), {"a", "b"});
  missing.answer = 0;
  hello.quizzes = {ready, state, typed, next, who, sent, app, early, missing};
  return hello;
}

void expect_same(const PlacedQuizzes& placed, const PlacedQuizzes& afresh) {
  ASSERT_EQ(placed.questions.size(), afresh.questions.size());
  for (std::size_t q = 0; q < afresh.questions.size(); ++q)
    EXPECT_TRUE(placed.questions[q] == afresh.questions[q]) << afresh.questions[q].id;
  ASSERT_EQ(placed.skipped.size(), afresh.skipped.size());
  for (std::size_t q = 0; q < afresh.skipped.size(); ++q) {
    EXPECT_EQ(placed.skipped[q].id, afresh.skipped[q].id);
    EXPECT_EQ(placed.skipped[q].reason, afresh.skipped[q].reason);
  }
}

// Two requests of hello, their events interleaved, so that made choices are found far apart.
std::vector<Event> two_requests() {
  std::vector<Event> events;
  for (const Event& event : hello_events()) {
    events.push_back(event);
    if (event.req == 0) continue;
    events.push_back(event);
    events.back().req = 2;
    events.back().msg += " (2)";
  }
  return events;
}

void expect_placed_as_afresh(const scenario::Scenario& scenario, const std::vector<Event>& events) {
  for (int level : {1, 2, 3}) {
    SCOPED_TRACE("level " + std::to_string(level));
    Walkthrough walkthrough(scenario.track, level);
    QuizPlacement placement(&scenario);
    std::vector<Event> arrived;
    for (const Event& event : events) {
      arrived.push_back(event);
      walkthrough.update(arrived);
      placement.update(arrived, walkthrough);
      SCOPED_TRACE(std::to_string(arrived.size()) + " events");
      expect_same(placement.placed(),
                  place_quizzes(scenario, arrived, Walkthrough(scenario.track, level, arrived)));
    }
    EXPECT_FALSE(placement.update(arrived, walkthrough));  // nothing new
    // Another level: every quiz placed again.
    const int other = level % 3 + 1;
    walkthrough.set_level(arrived, other);
    placement.set_level(arrived, walkthrough);
    expect_same(placement.placed(),
                place_quizzes(scenario, arrived, Walkthrough(scenario.track, other, arrived)));
  }
}

TEST(QuizPlacement, AsEventsArriveItPlacesWhatAPlacementAfreshWould) {
  expect_placed_as_afresh(every_kind_of_quiz(), hello_events());
  scenario::Scenario both = every_kind_of_quiz();
  for (scenario::Quiz second : every_kind_of_quiz().quizzes) {
    second.id += "-2";
    second.at.req = 2;
    both.quizzes.push_back(second);
  }
  expect_placed_as_afresh(both, two_requests());
}

TEST(Grading, CaseSpaceAndPunctuationTolerant) {
  EXPECT_EQ(normalize_answer("  Waiting \t to\nSEND  "), "waiting to send");
  EXPECT_EQ(normalize_answer("Error: ZeroDivisionError"), "error zerodivisionerror");
  EXPECT_EQ(normalize_answer("Running hello() route"), "running hello route");
  EXPECT_TRUE(same_answer("Idle, waiting for next request", "idle waiting for next request"));
  EXPECT_FALSE(same_answer("text/html", "text html"));  // a slash is part of the answer
  EXPECT_TRUE(same_answer("200 OK", " 200   ok"));
  EXPECT_FALSE(same_answer("200 OK", "200OK"));
  EXPECT_EQ(normalize_answer(""), "");
  Question typed;
  typed.expected = "Idle";
  EXPECT_EQ(grade(typed, "IDLE").verdict, Verdict::Right);
  EXPECT_EQ(grade(typed, "1").verdict, Verdict::Wrong);  // no choices: a number is just text
  EXPECT_EQ(grade(typed, "").verdict, Verdict::Unreadable);
  EXPECT_EQ(grade(typed, "99999999999999999999").verdict, Verdict::Wrong);
}

TEST(GeneratedQuestions, TheSameSeedAsksTheSameQuestions) {
  auto events = hello_events();
  auto track = hello_scenario().track;
  auto first = generate_questions(track, events, 1, 4, 7);
  auto again = generate_questions(track, events, 1, 4, 7);
  ASSERT_EQ(first.size(), 4u);
  ASSERT_EQ(again.size(), first.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].id, again[i].id);
    EXPECT_EQ(first[i].right_choice, again[i].right_choice);
  }
  bool some_seed_differs = false;
  for (std::uint32_t seed = 1; seed < 20 && !some_seed_differs; ++seed) {
    auto other = generate_questions(track, events, 1, 4, seed);
    for (std::size_t i = 0; i < other.size(); ++i)
      if (other[i].id != first[i].id) some_seed_differs = true;
  }
  EXPECT_TRUE(some_seed_differs);
}

TEST(GeneratedQuestions, AreRightAboutTheTraceAndOfBothKinds) {
  auto events = hello_events();
  auto track = hello_scenario().track;
  for (int level : {1, 2, 3}) {
    const auto steps = steps_at_level(events, level);
    const Walkthrough walkthrough(track, level, events);
    auto questions = generate_questions(track, events, level, 50, 3);
    std::set<QuizKind> kinds;
    std::set<std::string> ids;
    for (const Question& question : questions) {
      kinds.insert(question.kind);
      EXPECT_TRUE(ids.insert(question.id).second) << question.id;
      EXPECT_TRUE(question.generated);
      ASSERT_TRUE(question.right_choice) << question.id;
      ASSERT_GE(question.choices.size(), 2u) << question.id;
      EXPECT_EQ(question.choices[*question.right_choice].value, question.expected);
      EXPECT_EQ(grade(question, question.expected).verdict, Verdict::Right);
      std::set<std::string> values;
      for (const Choice& choice : question.choices) values.insert(choice.value);
      EXPECT_EQ(values.size(), question.choices.size()) << question.id;
      if (question.kind == QuizKind::Value) {
        EXPECT_EQ(question.when, AskWhen::AfterStep);
        const std::size_t var = static_cast<std::size_t>(
            std::find_if(track.begin(), track.end(),
                         [&](const auto& tracked) { return tracked.var == question.var; }) -
            track.begin());
        EXPECT_EQ(question.expected, walkthrough.value_after(question.step, var)) << question.id;
        EXPECT_TRUE(walkthrough.changed_at(question.step, var)) << question.id;
      } else {
        EXPECT_EQ(question.kind, QuizKind::Predict);
        EXPECT_EQ(question.when, AskWhen::BeforeStep);
        ASSERT_GE(question.step, 1u);
        EXPECT_EQ(question.expected, trace::name_of(events[steps[question.step].event].actor));
        // Both steps of one request: interleaved requests say nothing of the journey.
        const int req = events[steps[question.step].event].req;
        EXPECT_NE(req, 0) << question.id;
        EXPECT_EQ(events[steps[question.step - 1].event].req, req) << question.id;
      }
    }
    EXPECT_EQ(kinds, (std::set<QuizKind>{QuizKind::Value, QuizKind::Predict})) << level;
    for (std::size_t i = 1; i < questions.size(); ++i)
      EXPECT_LE(questions[i - 1].step, questions[i].step);
  }
}

TEST(GeneratedQuestions, ALiveTraceWithNothingTrackedStillHasQuestions) {
  auto questions = generate_questions({}, hello_events(), 1, 10, 1);
  ASSERT_FALSE(questions.empty());
  bool asks_a_var = false;
  for (const Question& question : questions)
    if (question.kind == QuizKind::Value) asks_a_var = !question.var.empty();
  EXPECT_TRUE(asks_a_var);
  EXPECT_TRUE(generate_questions({}, {}, 1, 10, 1).empty());
  EXPECT_TRUE(generate_questions({}, hello_events(), 1, 0, 1).empty());
}

TEST(GeneratedQuestions, OneActorMakesNoActorQuestion) {
  std::vector<Event> events = {
      make(Actor::Server, Phase::Listening, 1, "listen", {{"server.state", "Listening"}}, 0),
      make(Actor::Server, Phase::RequestReceived, 1, "in", {{"server.state", "Busy"}}),
      make(Actor::Server, Phase::Sent, 1, "out", {{"server.state", "Idle"}}),
  };
  for (const Question& question : generate_questions({}, events, 1, 10, 5))
    EXPECT_EQ(question.kind, QuizKind::Value) << question.id;
}

}  // namespace
}  // namespace reqtrace::lesson
