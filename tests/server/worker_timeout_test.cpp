// gunicorn's worker timeout: a worker proves it is alive through its WorkerTmp, and the arbiter
// kills one silent past `timeout` (SIGABRT, "WORKER TIMEOUT (pid:N)") and forks another.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "scenario/load.hpp"
#include "server/served_stack.hpp"
#include "sim/server/worker_tmp.hpp"
#include "support/raw_client.hpp"
#include "support/temp_path.hpp"

namespace reqtrace::testing {
namespace {

using trace::Phase;

TEST(WorkerTmp, NotifyIsTheOnlySignOfLifeTheArbiterReads) {
  std::string error;
  auto tmp = server::WorkerTmp::create(error);
  ASSERT_TRUE(tmp) << error;
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_GE(tmp->silent_for(), std::chrono::milliseconds(50));
  // workertmp.py notify(): fchmod flips the mode, which moves st_ctime to now.
  tmp->notify();
  EXPECT_LT(tmp->silent_for(), std::chrono::milliseconds(50));
}

// A scenario of `model` with one worker, `timeout_ms` and whatever else `server` adds, serving a
// C++ app with a view that takes a minute.
scenario::Scenario hanging_cpp_scenario(const std::string& model, int timeout_ms, int workers = 1) {
  const std::string text = R"({"id": "timeout", "title": "A view that never returns",
    "topology": {"server": {"model": ")" +
                           model + R"(", "workers": )" + std::to_string(workers) +
                           R"(, "timeout_ms": )" + std::to_string(timeout_ms) + R"(}},
    "app": {"routes": [
      {"rule": "/hang", "endpoint": "hang", "returns": {"body": "never", "delay_ms": 60000}},
      {"rule": "/slow", "endpoint": "slow", "returns": {"body": "slow but sure", "delay_ms": 3000}},
      {"rule": "/fast", "endpoint": "fast", "returns": {"body": "quick"}}]},
    "requests": [{"path": "/fast"}],
    "track": [{"var": "server.state", "label": "WSGI Server State", "start": "Idle"}]})";
  auto loaded = scenario::load_text(text, "timeout.json");
  EXPECT_TRUE(loaded) << loaded.problems[0].to_string();
  return *loaded.scenario;
}

// The same with a real Python app whose /hang sleeps forever.
scenario::Scenario hanging_python_scenario(int timeout_ms) {
  return python_app_scenario(
      "hanging-app", "hang.py", R"(import time

def app(environ, start_response):
    if environ["PATH_INFO"] == "/hang":
        while True:
            time.sleep(3600)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"quick"]
)",
      R"({"model": "prefork", "workers": 1, "timeout_ms": )" + std::to_string(timeout_ms) + "}");
}

class WorkerTimeout : public ServedStack {
 protected:
  // Each worker's sync-worker or gthread boot: the worker is in its loop.
  long worker_boots() {
    const auto trace = snapshot();
    return std::count_if(trace.begin(), trace.end(), [](const trace::Event& e) {
      return e.phase == Phase::Boot && e.actor == trace::Actor::Worker;
    });
  }
  std::string get(const std::string& path, int timeout_ms = 10000) {
    RawClient client(stack->front_door().port);
    client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string answer = client.read_until_close(timeout_ms);
    closed = client.closed();
    return answer;
  }
  // The hung request is cut off, the worker replaced, and the next request served.
  void expect_cut_off_and_replaced(int timeout_ms) {
    ASSERT_TRUE(wait_for([this](const trace::Event&) { return worker_boots() >= 1; }));
    const auto asked = std::chrono::steady_clock::now();
    EXPECT_EQ(get("/hang", timeout_ms + 10000), "");  // gunicorn's client: closed, no response
    EXPECT_TRUE(closed);
    EXPECT_GE(std::chrono::steady_clock::now() - asked, std::chrono::milliseconds(timeout_ms / 2));
    ASSERT_TRUE(wait_for([this](const trace::Event&) { return worker_boots() >= 2; }));
    EXPECT_EQ(get("/fast").rfind("HTTP/1.1 200 OK", 0), 0u);
    const auto trace = finish();

    int hung_worker = 0;
    const trace::Event* timeout = nullptr;
    const trace::Event* calling = nullptr;
    const trace::Event* exit = nullptr;
    int forks = 0;
    for (const auto& event : trace) {
      if (event.phase == Phase::CallingApp && !calling) {
        calling = &event;
        hung_worker = event.pid;
      }
      if (event.msg.rfind("WORKER TIMEOUT (pid:", 0) == 0) timeout = &event;
      // The arbiter says it when it reaps the worker: the worker's pid is in the data.
      if (event.phase == Phase::Exit && !exit && !event.data.empty() &&
          nlohmann::json::parse(event.data).value("pid", 0) == hung_worker)
        exit = &event;
      if (event.phase == Phase::Fork) ++forks;
    }
    ASSERT_TRUE(calling && timeout && exit);
    // On the arbiter's lane, naming the worker as gunicorn's log line does, and only once the
    // worker had been silent for the timeout (its last notify was before it took the request, at
    // most timeout / 2 earlier).
    EXPECT_EQ(timeout->lane, "server");
    EXPECT_NE(timeout->pid, hung_worker);
    EXPECT_EQ(timeout->msg.rfind("WORKER TIMEOUT (pid:" + std::to_string(hung_worker) + ")", 0),
              0u);
    EXPECT_EQ(nlohmann::json::parse(timeout->data)["signal"], "SIGABRT");
    EXPECT_GE(timeout->t_ns - calling->t_ns, std::int64_t{timeout_ms / 2} * 1000000);
    // Worker.handle_abort: sys.exit(1).
    EXPECT_GT(exit->seq, timeout->seq);
    EXPECT_NE(exit->msg.find("exited with status 1"), std::string::npos) << exit->msg;
    EXPECT_EQ(forks, 2);  // the first worker and its replacement
  }
  bool closed = false;
};

TEST_P(WorkerTimeout, AViewThatNeverReturnsIsCutOffAndTheWorkerReplaced) {
  start_scenario(hanging_cpp_scenario(GetParam(), 1000));
  expect_cut_off_and_replaced(1000);
}

INSTANTIATE_TEST_SUITE_P(Models, WorkerTimeout, ::testing::Values("prefork"), model_name);

class PythonWorkerTimeout : public WorkerTimeout {};

TEST_F(PythonWorkerTimeout, APythonViewSleepingForeverIsCutOffAndTheWorkerReplaced) {
  start_scenario(hanging_python_scenario(1000));
  expect_cut_off_and_replaced(1000);
}

class GthreadTimeout : public WorkerTimeout {};

// gthread.py run(): only the main thread's poller loop notifies, each turn of at most a second,
// so a pool thread in a slow view never makes the worker look silent: gunicorn's timeout does
// not cut a gthread view.
TEST_F(GthreadTimeout, APoolThreadInASlowViewDoesNotTimeOutItsWorker) {
  start_scenario(hanging_cpp_scenario("threaded", 1500, 2));
  ASSERT_TRUE(wait_for([this](const trace::Event&) { return worker_boots() >= 1; }));
  EXPECT_EQ(get("/slow").rfind("HTTP/1.1 200 OK", 0), 0u);
  int forks = 0;
  for (const auto& event : finish()) {
    EXPECT_EQ(event.msg.find("WORKER TIMEOUT"), std::string::npos) << event.msg;
    if (event.phase == Phase::Fork) ++forks;
  }
  EXPECT_EQ(forks, 1);
}

}  // namespace
}  // namespace reqtrace::testing
