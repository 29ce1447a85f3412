// The narration says what happened: words chosen by the phase, then by who acted and how the
// request ended, so a server refusing a request is not told as a view raising.
#include "lesson/narration.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lesson/steps.hpp"
#include "scenario/load.hpp"

namespace reqtrace::lesson {
namespace {

scenario::Scenario load(const std::string& narration) {
  auto loaded = scenario::load_text(R"({"id": "x", "title": "T",
    "app": {"routes": [{"rule": "/", "endpoint": "home"}]},
    "requests": [{"path": "/"}, {"path": "/"}],
    "narration": )" + narration + "}",
                                    "narration.json");
  EXPECT_TRUE(loaded) << (loaded.problems.empty() ? "" : loaded.problems[0].to_string());
  return loaded ? std::move(*loaded.scenario) : scenario::Scenario{};
}

trace::Event event(trace::Actor actor, trace::Phase phase, int req, trace::Vars vars = {}) {
  trace::Event made;
  made.actor = actor;
  made.phase = phase;
  made.req = req;
  made.vars = std::move(vars);
  return made;
}

TEST(Narration, OneTextForEveryActor) {
  const scenario::Scenario scenario = load(R"({"error": "Something went wrong."})");
  const Narrator narrator(&scenario);
  const std::vector<trace::Event> events = {event(trace::Actor::Server, trace::Phase::Error, 1),
                                            event(trace::Actor::App, trace::Phase::Error, 2)};
  EXPECT_EQ(narrator.words(events, 0), "Something went wrong.");
  EXPECT_EQ(narrator.words(events, 1), "Something went wrong.");
}

TEST(Narration, ChosenByTheEventsActor) {
  const scenario::Scenario scenario = load(
      R"({"error": {"server": "The parser refuses the request.", "app": "The view raised."},
          "sent": {"proxy": "The proxy answers."}})");
  const Narrator narrator(&scenario);
  const std::vector<trace::Event> events = {event(trace::Actor::Server, trace::Phase::Error, 1),
                                            event(trace::Actor::App, trace::Phase::Error, 2),
                                            event(trace::Actor::Worker, trace::Phase::Error, 2),
                                            event(trace::Actor::Server, trace::Phase::Sent, 2)};
  EXPECT_EQ(narrator.words(events, 0), "The parser refuses the request.");
  EXPECT_EQ(narrator.words(events, 1), "The view raised.");
  EXPECT_EQ(narrator.words(events, 2), "") << "no words for an actor the scenario does not name";
  EXPECT_EQ(narrator.words(events, 3), "");
}

TEST(Narration, ChosenByTheStatusTheAppGave) {
  const scenario::Scenario scenario =
      load(R"({"receive": {"2xx": "The page.", "other": "Not a page."},
               "error": {"app": {"5xx": "A 500.", "other": "Answered."}, "other": "Refused."}})");
  const Narrator narrator(&scenario);
  const std::vector<trace::Event> events = {
      event(trace::Actor::App, trace::Phase::StartResponse, 1, {{"response.status", "200 OK"}}),
      event(trace::Actor::App, trace::Phase::Error, 2),
      event(trace::Actor::App, trace::Phase::StartResponse, 2,
            {{"response.status", "500 INTERNAL SERVER ERROR"}}),
      event(trace::Actor::Client, trace::Phase::Receive, 1),
      event(trace::Actor::Client, trace::Phase::Receive, 2),
      event(trace::Actor::Server, trace::Phase::Error, 3),
      event(trace::Actor::Client, trace::Phase::Receive, 3)};
  EXPECT_EQ(narrator.words(events, 3), "The page.");
  EXPECT_EQ(narrator.words(events, 4), "Not a page.");
  EXPECT_EQ(narrator.words(events, 1), "A 500.") << "the request's status, given after the event";
  EXPECT_EQ(narrator.words(events, 5), "Refused.") << "the server's error: no app text for it";
  EXPECT_EQ(narrator.words(events, 6), "Not a page.") << "no status from the app: the rest";
  EXPECT_EQ(narrator.words(events, 99), "");
}

TEST(Narration, StepViewUsesTheStepsEvent) {
  const scenario::Scenario scenario =
      load(R"({"error": {"server": "The parser refuses it.", "app": "The view raised."}})");
  const Narrator narrator(&scenario);
  const std::vector<trace::Event> events = {event(trace::Actor::Server, trace::Phase::Error, 1)};
  const std::vector<Step> steps = steps_at_level(events, trace::kOverview);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(narrator.at(events, steps, 0).words, "The parser refuses it.");
}

}  // namespace
}  // namespace reqtrace::lesson
