// What a live run costs the viewer's model as events arrive. An update should cost what its new
// events cost, however long the trace already is: events per second stay the same from twenty
// thousand events to a million.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "lesson/view/synthetic_trace.hpp"
#include "lesson/view/viewer_model.hpp"

namespace {

using namespace reqtrace;

constexpr std::size_t kBatch = 1000;  // about what a frame takes in from a busy live run

scenario::Quiz quiz(std::string id, scenario::QuizKind kind, trace::Phase phase, int req) {
  scenario::Quiz made;
  made.id = std::move(id);
  made.kind = kind;
  made.at = {phase, req};
  made.question = "What now, at step {step}? It is sent at {step:sent}.";
  return made;
}

// The synthetic lesson with a quiz of every kind, some of them about requests far into the run.
scenario::Scenario quizzed_scenario() {
  using scenario::PredictAbout;
  using scenario::QuizKind;
  using trace::Phase;
  scenario::Scenario lesson = lesson::synthetic_scenario();
  auto choice = quiz("choice", QuizKind::Choice, Phase::RequestReceived, 1);
  choice.choices = choice.choice_values = {"a", "b"};
  choice.answer = 0;
  auto value = quiz("value", QuizKind::Value, Phase::ResponseReady, 5);
  value.var = "server.state";
  auto phase = quiz("phase", QuizKind::Predict, Phase::CallingApp, 1);
  auto actor = quiz("actor", QuizKind::Predict, Phase::Receive, 300);
  actor.about = PredictAbout::Actor;
  auto var = quiz("var", QuizKind::Predict, Phase::Sent, 2000);
  var.about = PredictAbout::Var;
  var.var = "response.sent";
  lesson.quizzes = {choice, value, phase, actor, var};
  return lesson;
}

void BM_LiveUpdates(benchmark::State& state) {
  const auto events = lesson::synthetic_trace(static_cast<std::size_t>(state.range(0)));
  const auto scenario = quizzed_scenario();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<trace::Event> arrived;
    arrived.reserve(events.size());
    lesson::ViewerModel model(scenario, static_cast<int>(state.range(1)));
    state.ResumeTiming();
    for (std::size_t from = 0; from < events.size(); from += kBatch) {
      const std::size_t to = std::min(from + kBatch, events.size());
      arrived.insert(arrived.end(), events.begin() + static_cast<std::ptrdiff_t>(from),
                     events.begin() + static_cast<std::ptrdiff_t>(to));
      model.update(arrived);
    }
    benchmark::DoNotOptimize(model.quiz().session().size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LiveUpdates)
    ->ArgsProduct({{20000, 100000, 1000000}, {1, 3}})
    ->ArgNames({"events", "level"})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
