// What it costs the stack to say "I did this": one event into the recorder.
#include <benchmark/benchmark.h>

#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace {

using namespace reqtrace::trace;

// One recorder for all threads of a run, drained as a live run drains it.
Recorder& shared_recorder() {
  static Recorder* recorder = [] {
    auto* r = new Recorder();
    r->add_sink([](const std::vector<Event>& batch) { benchmark::DoNotOptimize(batch.data()); });
    r->start_background_flush(std::chrono::milliseconds(10));
    return r;
  }();
  return *recorder;
}

// The typical overview event: a message and one tracked variable.
void BM_RecordEvent(benchmark::State& state) {
  Emitter server(&shared_recorder(), Actor::Server, "server");
  for (auto _ : state)
    server(Phase::RequestReceived, 1, kOverview, "Request arrives: GET / HTTP/1.1",
           {{"server.state", "Request received"}});
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordEvent)->Threads(1)->Threads(2)->UseRealTime();

// A finer event with no variables: the floor of the cost.
void BM_RecordBareEvent(benchmark::State& state) {
  Emitter app(&shared_recorder(), Actor::App, "app");
  for (auto _ : state) app(Phase::Dispatch, 1, kFrameworkInternals, "full_dispatch_request()");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordBareEvent)->Threads(1)->Threads(2)->UseRealTime();

// Tracing off: what an uninstrumented run pays.
void BM_RecordDisabled(benchmark::State& state) {
  Emitter silent;
  for (auto _ : state) silent(Phase::Dispatch, 1, kFrameworkInternals, "full_dispatch_request()");
}
BENCHMARK(BM_RecordDisabled);

}  // namespace

BENCHMARK_MAIN();
