// The command line as a user meets it: run, replay, validate, and the errors for bad input.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace {

using reqtrace::testing::run_process;
namespace fs = std::filesystem;

fs::path temp_file(const std::string& name) {
  return fs::path(::testing::TempDir()) / ("cli-" + name);
}

TEST(Run, HelloWsgiShowsSixStepsAndTheClassicTable) {
  auto result = run_process({REQTRACE_BINARY, "run", "hello-wsgi"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string& out = result.out;
  EXPECT_NE(out.find("Step | Action"), std::string::npos) << out;
  EXPECT_NE(out.find("WSGI Server State"), std::string::npos);
  EXPECT_NE(out.find("Server starts and listens on http://127.0.0.1:"), std::string::npos);
  EXPECT_NE(out.find("App returns 'Hello from Flask!'"), std::string::npos);
  EXPECT_NE(out.find("Variable tracker"), std::string::npos);
  EXPECT_NE(out.find("200 OK"), std::string::npos);
}

TEST(Run, JsonStepsAtEachLevel) {
  auto level1 = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--json"});
  ASSERT_EQ(level1.exit_code, 0) << level1.err;
  auto json = nlohmann::json::parse(level1.out);
  ASSERT_EQ(json["steps"].size(), 6u);
  EXPECT_EQ(json["steps"][3]["values"]["server.state"], "Waiting to send response");
  EXPECT_EQ(json["steps"][5]["phase"], "receive");
  EXPECT_EQ(json["responses"][0]["body"], "Hello from Flask!");
  auto level3 = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--json", "--level", "3"});
  ASSERT_EQ(level3.exit_code, 0);
  EXPECT_GT(nlohmann::json::parse(level3.out)["steps"].size(), 15u);
}

TEST(Replay, ARecordedTraceReplaysToTheSameStepsWithNoServer) {
  const auto trace = temp_file("hello.jsonl");
  auto recorded =
      run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--json", "--trace", trace.string()});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  for (const char* level : {"1", "2", "3"}) {
    auto live = nlohmann::json::parse(
        run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--json", "--level", level}).out);
    auto replayed =
        run_process({REQTRACE_BINARY, "replay", trace.string(), "--json", "--level", level});
    ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
    auto steps = nlohmann::json::parse(replayed.out)["steps"];
    ASSERT_EQ(steps.size(), live["steps"].size()) << level;
    if (std::string(level) == "1") {
      EXPECT_EQ(steps, nlohmann::json::parse(recorded.out)["steps"]);
    }
  }
  auto walkthrough = run_process({REQTRACE_BINARY, "replay", trace.string()});
  ASSERT_EQ(walkthrough.exit_code, 0);
  EXPECT_NE(walkthrough.out.find("Step 3 of 6"), std::string::npos) << walkthrough.out;
  EXPECT_NE(walkthrough.out.find("» The server is the waiter"), std::string::npos);
  EXPECT_NE(walkthrough.out.find("★ Key moment: Ready is not sent"), std::string::npos);
}

TEST(Default, PlainReqtraceWalksThroughTheDefaultScenario) {
  // With a display plain reqtrace opens the viewer; this test is about the text.
  ::setenv("REQTRACE_NO_GUI", "1", 1);
  auto result = run_process({REQTRACE_BINARY});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Hello, WSGI"), std::string::npos);
  EXPECT_NE(result.out.find("Step 6 of 6"), std::string::npos);
}

TEST(Default, FindsItsScenariosFromAnyWorkingDirectory) {
  auto result =
      run_process({"sh", "-c", std::string("cd / && ") + REQTRACE_BINARY + " validate hello-wsgi"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(Validate, EveryShippedScenarioIsValid) {
  std::vector<std::string> argv = {REQTRACE_BINARY, "validate"};
  for (const auto& entry : fs::directory_iterator(fs::path(REQTRACE_SOURCE_DIR) / "scenarios"))
    if (entry.path().extension() == ".json") argv.push_back(entry.path().string());
  ASSERT_GT(argv.size(), 3u);
  auto result = run_process(argv);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(Validate, ABrokenScenarioNamesFileLineColumnAndPointer) {
  const auto path = temp_file("broken.json");
  std::ofstream(path) << "{\n  \"id\": \"x\",\n  \"title\": 5,\n  \"app\": {\"routes\": []},\n"
                         "  \"requests\": [{\"path\": \"/\"}]\n}\n";
  auto result = run_process({REQTRACE_BINARY, "validate", path.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(path.string() + ":3:12: /title: "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("/app/routes"), std::string::npos) << result.err;
}

TEST(BadInput, UnknownCommandsAndFlagsExitTwoWithAMessage) {
  auto command = run_process({REQTRACE_BINARY, "frobnicate"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("unknown command \"frobnicate\""), std::string::npos);
  auto flag = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--colour"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.err.find("unknown option --colour"), std::string::npos) << flag.err;
  auto level = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--level", "9"});
  EXPECT_EQ(level.exit_code, 2);
  EXPECT_NE(level.err.find("--level expects a whole number from 1 to 3"), std::string::npos);
  auto missing = run_process({REQTRACE_BINARY, "run", "no-such-scenario"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no-such-scenario"), std::string::npos) << missing.err;
  // replay takes a scenario too (it runs it); a .jsonl file is read as a trace, and must be one.
  const auto not_trace_path = temp_file("not-a-trace.jsonl");
  std::ofstream(not_trace_path) << "{\"format\": \"something else\"}\n";
  auto not_trace = run_process({REQTRACE_BINARY, "replay", not_trace_path.string()});
  EXPECT_EQ(not_trace.exit_code, 2);
  EXPECT_NE(not_trace.err.find("not a reqtrace trace file"), std::string::npos) << not_trace.err;
}

}  // namespace
