// A thread kept out of the GIL by another thread running Python says so on its own lane, as a
// gil_wait event with the time it waited. Presence and order are asserted, never magnitudes: how
// long a wait takes is a benchmark's business.
#include "sim/python/gil_wait.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <thread>

#include "flask/wsgi_harness.hpp"
#include "sim/python/python_app.hpp"
#include "sim/wsgi/serving_thread.hpp"
#include "support/temp_path.hpp"

namespace {

using reqtrace::flask::testing::CollectedEvents;
using reqtrace::flask::testing::make_environ;
using reqtrace::flask::testing::RecordingStartResponse;
using reqtrace::python::PythonApp;
using reqtrace::trace::Actor;
using reqtrace::trace::Emitter;
using reqtrace::trace::Event;
using reqtrace::trace::Phase;
using reqtrace::trace::Recorder;
using reqtrace::wsgi::ServingThread;

// /spin holds the GIL running Python until /stop has run: a CPU-bound view, as far as the GIL
// can tell. It calls start_response first, so the C++ side learns it is inside; and given the
// address of an int, it keeps setting it to 1, so the C++ side learns it is running again.
constexpr const char* kSpinner = R"(
import ctypes
stopped = False

def app(environ, start_response):
    global stopped
    start_response('200 OK', [])
    if environ['PATH_INFO'] == '/spin':
        address = environ.get('HTTP_X_RUNNING_FLAG')
        running = ctypes.c_int.from_address(int(address)) if address else ctypes.c_int()
        while not stopped:
            running.value = 1
    else:
        stopped = True
    return [b'done']
)";

// A start_response that tells another thread the app has been entered.
class Entered : public RecordingStartResponse {
 public:
  void operator()(const std::string& status_line, const reqtrace::wsgi::Headers& given_headers,
                  bool given_exc_info) override {
    RecordingStartResponse::operator()(status_line, given_headers, given_exc_info);
    inside = true;
  }
  std::atomic<bool> inside{false};
};

std::unique_ptr<PythonApp> load_spinner(const std::string& stem) {
  const auto file = reqtrace::testing::write_temp_file("gil-" + stem, stem + ".py", kSpinner);
  std::string error;
  auto app = PythonApp::load({file, "app"}, Emitter(), error);
  EXPECT_NE(app, nullptr) << error;
  return app;
}

// Runs the app for one request to the end (call, body, close) as a server's thread would.
void serve(PythonApp& app, const Emitter& thread_voice, int req, const std::string& path,
           RecordingStartResponse& start_response, std::atomic<int>* running = nullptr) {
  auto environ = make_environ("GET", path, "", "", req);
  if (running != nullptr)
    environ.vars["HTTP_X_RUNNING_FLAG"] = std::to_string(reinterpret_cast<std::uintptr_t>(running));
  const ServingThread serving(thread_voice, req);
  auto body = app(environ, start_response);
  while (body->next()) {
  }
  body->close();
}

// Calls the app for `path` as req 2 and closes its body; binding the thread to a request (or
// not) is the caller's part.
void call_and_close(PythonApp& app, const std::string& path) {
  RecordingStartResponse start_response;
  auto environ = make_environ("GET", path, "", "", 2);
  auto body = app(environ, start_response);
  body->close();
}

std::vector<Event> on_lane(const std::vector<Event>& events, const std::string& lane) {
  std::vector<Event> out;
  for (const auto& event : events)
    if (event.lane == lane) out.push_back(event);
  return out;
}

// Two threads of one interpreter: thread-1 spins in Python, thread-2 then asks for the GIL. It
// cannot have it before the interpreter makes thread-1 drop it (take_gil waits a switch interval,
// then sets the drop request), so thread-2 says it waited, on its lane, between what it said
// before calling the app and after.
TEST(GilWait, AContendedGilIsAWaitOnTheWaitingThreadsLane) {
  auto app = load_spinner("contended");
  ASSERT_NE(app, nullptr);
  Recorder recorder;
  CollectedEvents collected(recorder);
  const Emitter spinner_voice(&recorder, Actor::Server, "worker-1/thread-1");
  const Emitter waiter_voice(&recorder, Actor::Server, "worker-1/thread-2");

  Entered spinning;
  std::thread spinner([&] { serve(*app, spinner_voice, 1, "/spin", spinning); });
  while (!spinning.inside) std::this_thread::yield();
  std::thread waiter([&] {
    waiter_voice(Phase::CallingApp, 2, 1, "calls the app");
    RecordingStartResponse start_response;
    serve(*app, waiter_voice, 2, "/stop", start_response);
    waiter_voice(Phase::Sent, 2, 1, "done");
  });
  waiter.join();
  spinner.join();

  const auto lane = on_lane(collected.events(), "worker-1/thread-2");
  std::vector<Phase> phases;
  phases.reserve(lane.size());
  for (const auto& event : lane) phases.push_back(event.phase);
  ASSERT_GE(lane.size(), 3u);
  EXPECT_EQ(phases.front(), Phase::CallingApp);
  EXPECT_EQ(phases[1], Phase::GilWait) << "the first thing after calling the app is the wait";
  EXPECT_EQ(phases.back(), Phase::Sent);
  const Event& wait = lane[1];
  EXPECT_EQ(wait.actor, Actor::Worker);
  EXPECT_EQ(wait.req, 2);
  EXPECT_EQ(wait.level, 2);
  const auto data = nlohmann::json::parse(wait.data);
  EXPECT_GT(data["waited_ns"].get<std::int64_t>(), 0);
  EXPECT_EQ(data["taking_with"], "PyGILState_Ensure");
  // The span: from when the wait began to the event, after what the thread said before it.
  EXPECT_LT(data["wait_began_t_ns"].get<std::int64_t>(), wait.t_ns);
  EXPECT_GE(data["wait_began_t_ns"].get<std::int64_t>(), lane.front().t_ns);
}

// Taking the GIL back after letting it go (PyEval_RestoreThread, as a WithoutGil does around a
// socket wait) is a wait too, when another thread runs Python meanwhile.
TEST(GilWait, TakingItBackAfterWithoutGilIsMeasuredToo) {
  auto app = load_spinner("restore");
  ASSERT_NE(app, nullptr);
  Recorder recorder;
  CollectedEvents collected(recorder);
  const Emitter voice(&recorder, Actor::Server, "server");
  static_assert(sizeof(std::atomic<int>) == sizeof(int));
  std::atomic<int> running{0};

  Entered spinning;
  std::thread spinner([&] { serve(*app, Emitter(), 1, "/spin", spinning, &running); });
  while (!spinning.inside) std::this_thread::yield();
  std::thread waiter([&] {
    const ServingThread serving(voice, 2);
    const reqtrace::python::Gil gil;
    {
      const reqtrace::python::WithoutGil let_go;
      running = 0;
      while (running == 0) std::this_thread::yield();  // the spinner has the GIL again
      voice(Phase::Busy, 2, 2, "let go of the GIL");
    }
    voice(Phase::Busy, 2, 2, "has it back");
    call_and_close(*app, "/stop");
  });
  waiter.join();
  spinner.join();

  bool let_go = false, restored = false;
  for (const auto& event : on_lane(collected.events(), "server")) {
    if (event.msg == "let go of the GIL") let_go = true;
    if (event.phase == Phase::GilWait && let_go && !restored) {
      EXPECT_EQ(nlohmann::json::parse(event.data)["taking_with"], "PyEval_RestoreThread");
      restored = true;
    }
    if (event.msg == "has it back") {
      EXPECT_TRUE(restored) << "the wait comes before";
    }
  }
  EXPECT_TRUE(restored);
}

// A thread no server bound to a request (a load at startup, the C++ app's threads) says nothing,
// however long it waited.
TEST(GilWait, AThreadServingNoRequestSaysNothing) {
  auto app = load_spinner("unbound");
  ASSERT_NE(app, nullptr);
  Recorder recorder;
  CollectedEvents collected(recorder);
  Entered spinning;
  std::thread spinner(
      [&] { serve(*app, Emitter(&recorder, Actor::Server, "a"), 1, "/spin", spinning); });
  while (!spinning.inside) std::this_thread::yield();
  std::thread waiter([&] { call_and_close(*app, "/stop"); });
  waiter.join();
  spinner.join();
  for (const auto& event : collected.events())
    EXPECT_NE(event.phase, Phase::GilWait) << event.lane << ": " << event.msg;
}

}  // namespace
