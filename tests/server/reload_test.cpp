// Reload while teaching: the app's file changes on disk while the stack serves, and the next
// request is served by the new code. The pre-fork models replace their workers as gunicorn's
// arbiter does on SIGHUP (Arbiter.reload); the single-process ones re-import the module.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <set>

#include "scenario/load.hpp"
#include "server/served_stack.hpp"
#include "sim/server/app_file_watch.hpp"
#include "support/raw_client.hpp"
#include "support/temp_path.hpp"

namespace reqtrace::testing {
namespace {

using trace::Phase;

// Writes `text` to `file` as an editor that saves safely does: a new file renamed over it.
void save(const std::filesystem::path& file, const std::string& text) {
  const auto fresh = file.string() + ".new";
  std::ofstream(fresh) << text;
  std::filesystem::rename(fresh, file);
}

// The app at version `name`. v1 and v2 have the same size, and are saved within the same second:
// exactly what Python's bytecode cache cannot tell apart (its .pyc records the source's mtime in
// whole seconds and its size).
std::string version(const std::string& name) {
  return R"(import time

def app(environ, start_response):
    body = b")" +
         name + R"("
    if environ["PATH_INFO"] == "/slow":
        time.sleep(1)
        body += b" slow"
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
)";
}

TEST(AppFileWatch, SeesAWriteAndARenameOnceEach) {
  const auto file = temp_path("watched.py");
  std::ofstream(file) << "one";
  server::AppFileWatch watch(file);
  EXPECT_FALSE(watch.changed());
  std::ofstream(file, std::ios::app) << " more";
  EXPECT_TRUE(watch.changed());
  EXPECT_FALSE(watch.changed());  // seen once
  save(file, "two");
  EXPECT_TRUE(watch.changed());
  EXPECT_FALSE(server::AppFileWatch().changed());
}

class Reload : public ServedStack {
 protected:
  bool prefork() const { return GetParam() == "prefork" || GetParam() == "threaded"; }
  // The pids of the first `count` workers, once each has said it was forked.
  std::set<int> first_workers(std::size_t count) {
    EXPECT_TRUE(wait_for([&](const trace::Event&) { return worker_pids().size() >= count; }));
    return worker_pids();
  }
  // Each worker process's pid, from its fork.
  std::set<int> worker_pids() {
    std::set<int> pids;
    for (const auto& event : snapshot())
      if (event.phase == Phase::Fork) pids.insert(event.pid);
    return pids;
  }
  // Whether every one of `old` has said it took SIGTERM and accepts no more.
  bool retired(const std::set<int>& old) {
    std::set<int> gone;
    for (const auto& event : snapshot())
      if (event.phase == Phase::Idle && event.actor == trace::Actor::Worker &&
          event.data.find("\"sigterm\":true") != std::string::npos)
        gone.insert(event.pid);
    return std::includes(gone.begin(), gone.end(), old.begin(), old.end());
  }
};

TEST_P(Reload, TheNextRequestIsServedByTheNewCodeAndNoneInFlightIsLost) {
  const bool dev = GetParam() == "dev" || GetParam() == "dev-threaded";
  start_scenario(python_app_scenario(
      "reload-" + GetParam(), "versions.py", version("v1"),
      R"({"model": ")" + GetParam() + "\"" + (dev ? "" : R"(, "workers": 2)") + "}"));
  const auto app = scenario.folder / "versions.py";

  EXPECT_EQ(body_of("/"), "v1");
  const std::set<int> old_workers =
      prefork() ? first_workers(GetParam() == "prefork" ? 2 : 1) : std::set<int>();
  // A request in flight while the file changes: started on the old code, it ends on it.
  auto in_flight = std::async(std::launch::async, [this] { return body_of("/slow"); });
  ASSERT_TRUE(wait_for([this](const trace::Event&) {
    const auto trace = snapshot();
    return std::count_if(trace.begin(), trace.end(), [](const trace::Event& e) {
             return e.phase == Phase::CallingApp;
           }) >= 2;  // the first request's, then the slow one's
  }));
  save(app, version("v2"));
  if (prefork()) {
    // The arbiter notices within its loop's turn, forks new workers, and sends the old ones
    // SIGTERM; once each has taken it, only new workers accept.
    ASSERT_TRUE(wait_for([&](const trace::Event&) { return retired(old_workers); }));
  }
  EXPECT_EQ(body_of("/"), "v2");
  EXPECT_EQ(in_flight.get(), "v1 slow");
  const auto trace = finish();

  int reloads = 0;
  for (const auto& event : trace)
    if (event.msg.find("versions.py changed") != std::string::npos) {
      ++reloads;
      EXPECT_EQ(event.lane, "server");
    }
  EXPECT_EQ(reloads, 1);
}

class ReloadPrefork : public Reload {
 protected:
  // A prefork stack of two workers (`preload` or not) serving versions.py at v1.
  std::filesystem::path start_v1(bool preload) {
    start_scenario(python_app_scenario(preload ? "reload-preload" : "reload-broken", "versions.py",
                                       version("v1"),
                                       R"({"model": "prefork", "workers": 2, "preload": )" +
                                           std::string(preload ? "true" : "false") + "}"));
    EXPECT_EQ(body_of("/"), "v1");
    return scenario.folder / "versions.py";
  }
};

// app/base.py BaseApplication.wsgi() returns the callable it already loaded, and Arbiter.reload
// does not clear it: with --preload, a HUP forks new workers that still run the old code.
TEST_F(ReloadPrefork, WithPreloadTheNewWorkersKeepTheOldCode) {
  const auto app = start_v1(true);
  const std::set<int> old_workers = first_workers(2);
  save(app, version("v2"));
  // The new workers' forks and the old ones' retirement come up different pipes: wait for both.
  ASSERT_TRUE(wait_for([&](const trace::Event&) {
    return retired(old_workers) && worker_pids().size() > old_workers.size();
  }));
  EXPECT_EQ(body_of("/"), "v1");
  EXPECT_NE(worker_pids(), old_workers);  // new workers, old code
  bool said = false;
  for (const auto& event : finish())
    said = said || event.msg.find("with --preload the old code stays") != std::string::npos;
  EXPECT_TRUE(said);
}

// arbiter.py reap_workers: a worker that exits APP_LOAD_ERROR (4) raises HaltServer("App failed
// to load."): the arbiter stops every worker and exits.
TEST_F(ReloadPrefork, ANewFileThatDoesNotImportHaltsTheArbiter) {
  const auto app = start_v1(false);
  save(app, "def app(environ, start_response:\n");
  ASSERT_TRUE(wait_for([](const trace::Event& e) {
    return e.phase == Phase::Error && e.msg.rfind("App failed to load", 0) == 0;
  }));
  const auto trace = finish();
  int load_errors = 0;
  for (const auto& event : trace)
    if (event.phase == Phase::Exit && event.msg.find("exited with status 4") != std::string::npos)
      ++load_errors;
  EXPECT_GE(load_errors, 1);
  bool why = false;
  for (const auto& event : trace)
    why =
        why || (event.phase == Phase::Error && event.msg.find("versions.py") != std::string::npos &&
                event.msg.find("could not import") != std::string::npos);
  EXPECT_TRUE(why);
}

INSTANTIATE_TEST_SUITE_P(Models, Reload,
                         ::testing::Values("dev", "dev-threaded", "prefork", "threaded"),
                         model_name);

}  // namespace
}  // namespace reqtrace::testing
