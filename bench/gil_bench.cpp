// What entering Python costs a server thread alone in the interpreter, with the GIL wait
// measurement in place: the single-threaded models' and every sync worker's case.
#include <benchmark/benchmark.h>

#include <optional>

#include "sim/python/interpreter.hpp"
#include "sim/wsgi/serving_thread.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace {

using namespace reqtrace;

// Taking and giving back a free GIL, from a thread no request is bound to (serving:0) and from
// one serving a traced request (serving:1), as a single-threaded server does for each entry:
// no other thread is in Python, so no clock is read and no event made.
void BM_GilAlone(benchmark::State& state) {
  python::start_interpreter();
  trace::Recorder recorder;
  const trace::Emitter voice(&recorder, trace::Actor::Server, "server");
  std::optional<wsgi::ServingThread> serving;
  if (state.range(0) != 0) serving.emplace(voice, 1);
  for (auto _ : state) {
    const python::Gil gil;
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_GilAlone)->ArgName("serving")->Arg(0)->Arg(1);

// Letting go around a wait and taking the GIL back, as around a socket write.
void BM_WithoutGilAlone(benchmark::State& state) {
  python::start_interpreter();
  trace::Recorder recorder;
  const trace::Emitter voice(&recorder, trace::Actor::Server, "server");
  const wsgi::ServingThread serving(voice, 1);
  const python::Gil gil;
  for (auto _ : state) {
    const python::WithoutGil let_go;
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_WithoutGilAlone);

}  // namespace

BENCHMARK_MAIN();
