// Run and Live off the UI thread: the real stack's events stream into a session while it runs.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "app/live_run.hpp"
#include "lesson/view/viewer_model.hpp"
#include "scenario/load.hpp"
#include "support/process.hpp"
#include "trace/trace_reader.hpp"

namespace reqtrace::app {
namespace {

using State = ui::RunStatus::State;
using namespace std::chrono_literals;

// hello-wsgi as recorded with the fixture: the scenario does not change under the test.
scenario::Scenario hello() {
  auto trace = trace::read_trace(REQTRACE_UI_TEST_DATA "/hello-wsgi.jsonl");
  auto loaded = scenario::load_json(trace.trace->scenario, "hello-wsgi");
  return std::move(*loaded.scenario);
}

// Polls as the frame loop does, until `done` holds or time runs out.
template <typename Done>
bool poll_until(trace::Session& session, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    session.poll();
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

bool has_phase(const trace::Session& session, trace::Phase phase) {
  for (const auto& event : session.events())
    if (event.phase == phase) return true;
  return false;
}

TEST(LiveRun, RunOnceStreamsTheWholeLessonIntoTheSession) {
  const auto scenario = hello();
  auto session = std::make_shared<trace::Session>(scenario.source, "live: hello-wsgi");
  std::promise<ui::RunStatus> finished;
  LiveRun run(scenario, LiveRun::Mode::Once, {}, session, [&](const ui::RunStatus& status) {
    if (status.state == State::Finished || status.state == State::Failed)
      finished.set_value(status);
  });
  auto outcome = finished.get_future();
  ASSERT_EQ(outcome.wait_for(20s), std::future_status::ready);
  const ui::RunStatus status = outcome.get();
  EXPECT_EQ(status.state, State::Finished) << status.text;
  ASSERT_TRUE(poll_until(*session, [&] { return has_phase(*session, trace::Phase::Receive); }));
  lesson::ViewerModel model(scenario, 1);
  model.update(session->events());
  EXPECT_EQ(model.transport().count(), 6u);  // the classic six steps, live
}

TEST(LiveRun, LiveServesOutsideClientsUntilStopped) {
  const auto scenario = hello();
  auto session = std::make_shared<trace::Session>(scenario.source, "live: hello-wsgi");
  std::promise<ui::RunStatus> serving;
  std::promise<ui::RunStatus> stopped;
  auto run = std::make_unique<LiveRun>(scenario, LiveRun::Mode::Serve, topology::Listen{}, session,
                                       [&](const ui::RunStatus& status) {
                                         if (status.state == State::Serving)
                                           serving.set_value(status);
                                         if (status.state == State::Finished)
                                           stopped.set_value(status);
                                       });
  auto up = serving.get_future();
  ASSERT_EQ(up.wait_for(20s), std::future_status::ready);
  const std::string address = up.get().address;
  ASSERT_EQ(address.rfind("http://127.0.0.1:", 0), 0u) << address;

  // An outside client: the events of its request appear while the server stays up.
  auto curl = testing::run_process({"curl", "-sS", "--max-time", "10", address});
  ASSERT_EQ(curl.exit_code, 0) << curl.err;
  EXPECT_EQ(curl.out, "Hello from Flask!");
  EXPECT_TRUE(poll_until(*session, [&] { return has_phase(*session, trace::Phase::Sent); }));
  EXPECT_FALSE(run->done());

  run->stop();  // returns at once; the run ends on its own thread
  auto down = stopped.get_future();
  ASSERT_EQ(down.wait_for(20s), std::future_status::ready);
  run.reset();
  EXPECT_FALSE(has_phase(*session, trace::Phase::Receive));  // curl is not traced
}

}  // namespace
}  // namespace reqtrace::app
