// The GIL lesson end to end: gil-threads and gil-processes run for real (a real Flask app,
// 20 browsers at once on each of two views) and every browser gets its answer. The latencies are
// the lesson's figures, not asserted: they belong to the machine, and to a benchmark.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/process.hpp"
#include "support/temp_path.hpp"

namespace {

using reqtrace::testing::run_process;
using reqtrace::testing::temp_path;
namespace fs = std::filesystem;

const fs::path kScenarios = fs::path(REQTRACE_SOURCE_DIR) / "scenarios";

// NOLINTNEXTLINE(bugprone-exception-escape): json's move asserts its invariant; it never throws.
struct LessonRun {
  nlohmann::json out;
  std::vector<nlohmann::json> events;  // the trace's, without its header
};

LessonRun run_lesson(const std::string& id) {
  const auto trace = temp_path(id + ".jsonl");
  auto result = run_process({REQTRACE_BINARY, "run", (kScenarios / (id + ".json")).string(),
                             "--json", "--trace", trace.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  LessonRun run;
  if (result.exit_code != 0) return run;
  run.out = nlohmann::json::parse(result.out);
  std::ifstream lines(trace);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line))
    if (!line.empty()) run.events.push_back(nlohmann::json::parse(line));
  return run;
}

// The two warm-up browsers and both crowds of 20, every one answered 200 by the view it asked for.
void expect_every_browser_answered(const LessonRun& run) {
  ASSERT_EQ(run.out["responses"].size(), 42u);
  int warmup = 0, compute = 0, sleep = 0;
  for (const auto& response : run.out["responses"]) {
    EXPECT_EQ(response["status"], 200) << response.dump();
    const std::string body = response["body"];
    if (response["path"] == "/warmup" && body == "up") ++warmup;
    if (response["path"] == "/compute" && body.rfind("computed ", 0) == 0) ++compute;
    if (response["path"] == "/sleep" && body == "slept 75 ms") ++sleep;
  }
  EXPECT_EQ(warmup, 2);
  EXPECT_EQ(compute, 20);
  EXPECT_EQ(sleep, 20);
  // The summary the lesson quotes: p50, p95 and max for each crowd.
  const auto& groups = run.out["latency"]["groups"];
  ASSERT_GE(groups.size(), 3u);
  for (const auto& group : groups) {
    EXPECT_TRUE(group.contains("p50_ms") && group.contains("p95_ms") && group.contains("max_ms"))
        << group.dump();
  }
}

TEST(GilLesson, ThreadsAnswerEveryBrowser) {
  const LessonRun run = run_lesson("gil-threads");
  expect_every_browser_answered(run);
  // Any GIL wait told is on a pool thread's lane, for a request that thread served.
  for (const auto& event : run.events) {
    if (event["phase"] != "gil_wait") continue;
    EXPECT_EQ(event["actor"], "worker");
    EXPECT_NE(event["lane"].get<std::string>().find("/thread-"), std::string::npos) << event;
    EXPECT_GT(event["req"].get<int>(), 0);
    EXPECT_GT(event["data"]["waited_ns"].get<std::int64_t>(), 0);
  }
}

// A sync worker is one thread in an interpreter of its own: nobody else wants its GIL.
TEST(GilLesson, ProcessesAnswerEveryBrowserAndNeverWaitForTheGil) {
  const LessonRun run = run_lesson("gil-processes");
  expect_every_browser_answered(run);
  for (const auto& event : run.events) EXPECT_NE(event["phase"], "gil_wait") << event;
}

}  // namespace
