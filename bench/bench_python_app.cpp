// What Flask's traced call chain costs a request: a real Flask app (flask-routing's) called
// through PythonApp with the profile hook off and on.
#include <benchmark/benchmark.h>

#include "flask/wsgi_harness.hpp"
#include "sim/python/python_app.hpp"
#include "trace/recorder.hpp"

namespace {

using reqtrace::flask::testing::make_environ;
using reqtrace::flask::testing::run;
using namespace reqtrace;

trace::Recorder& shared_recorder() {
  static trace::Recorder* recorder = [] {
    auto* r = new trace::Recorder();
    r->add_sink(
        [](const std::vector<trace::Event>& batch) { benchmark::DoNotOptimize(batch.data()); });
    r->start_background_flush(std::chrono::milliseconds(10));
    return r;
  }();
  return *recorder;
}

// range(0): 0 untraced (no recorder), 2 recorded without the hook (level 2), 3 with the hook.
void BM_FlaskRequest(benchmark::State& state) {
  const int level = static_cast<int>(state.range(0));
  trace::Emitter voice =
      level == 0 ? trace::Emitter() : trace::Emitter(&shared_recorder(), trace::Actor::App, "app");
  std::string error;
  auto app = python::PythonApp::load(
      python::WsgiTarget{std::string(REQTRACE_SOURCE_DIR) + "/scenarios/apps/flask_routing.py",
                         "app"},
      voice, error, level == 0 ? 3 : level);
  if (!app) {
    state.SkipWithError(error.c_str());
    return;
  }
  int req = 1;
  for (auto _ : state) {
    auto env = make_environ("GET", "/user/ada", "", "", req++);
    benchmark::DoNotOptimize(run(*app, env).body);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FlaskRequest)->Arg(0)->Arg(2)->Arg(3)->ArgName("level")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
