// Every server model for real through `reqtrace run`: the environ each hands the app says truly
// whether the app shares its process with other threads, other processes, or lives for one
// request.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/process.hpp"

namespace {

using nlohmann::json;
using reqtrace::testing::run_process;
namespace fs = std::filesystem;

struct Truth {
  const char* model;
  const char* multithread;
  const char* multiprocess;
  const char* run_once;
};

// The environ of the first calling_app in a recorded trace.
json environ_in(const fs::path& trace) {
  std::ifstream in(trace);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    const json event = json::parse(line);
    if (event["phase"] == "calling_app") return event["data"]["environ"];
  }
  return nullptr;
}

TEST(ServerModels, EnvironTellsTheTruthAboutEachModel) {
  for (const Truth& truth :
       {Truth{"dev", "False", "False", "False"}, Truth{"dev-threaded", "True", "False", "False"},
        Truth{"threaded", "True", "False", "False"},
        // One worker (the default): gunicorn's http/wsgi.py says cfg.workers > 1, False.
        Truth{"prefork", "False", "False", "False"},
        Truth{"fork-per-request", "False", "True", "False"},
        Truth{"cgi", "False", "True", "True"}}) {
    SCOPED_TRACE(truth.model);
    const fs::path dir(::testing::TempDir());
    const fs::path scenario = dir / ("server-model-" + std::string(truth.model) + ".json");
    const fs::path trace = dir / ("server-model-" + std::string(truth.model) + ".jsonl");
    json server = {{"model", truth.model}};
    if (server["model"] == "fork-per-request") server["workers"] = 2;  // Werkzeug's processes
    std::ofstream(scenario) << json{
        {"id", "model"},
        {"title", "One request"},
        {"topology", {{"server", server}}},
        {"app",
         {{"routes", {{{"rule", "/"}, {"endpoint", "home"}, {"returns", {{"body", "hi"}}}}}}}},
        {"requests",
         {{{"path", "/"}}}}}.dump();
    auto result = run_process(
        {REQTRACE_BINARY, "run", scenario.string(), "--trace", trace.string(), "--json"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(json::parse(result.out)["responses"][0]["body"], "hi");
    const json environ = environ_in(trace);
    ASSERT_TRUE(environ.is_object());
    EXPECT_EQ(environ["wsgi.multithread"], truth.multithread);
    EXPECT_EQ(environ["wsgi.multiprocess"], truth.multiprocess);
    EXPECT_EQ(environ["wsgi.run_once"], truth.run_once);
  }
}

}  // namespace
