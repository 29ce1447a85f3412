// A run killed with SIGKILL leaves a trace that loads, with every event of every finished request,
// and no process of its own behind it holding the port.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "support/process.hpp"
#include "support/raw_client.hpp"
#include "trace/trace_reader.hpp"

namespace {

using reqtrace::testing::Background;
using reqtrace::testing::run_process;
namespace trace = reqtrace::trace;

TEST(Kill, SigkillKeepsEveryFinishedRequest) {
  const auto path = std::filesystem::path(::testing::TempDir()) / "killed.jsonl";
  Background server(
      {REQTRACE_BINARY, "serve", "flask-routing", "--port", "0", "--trace", path.string()});
  std::string base;
  for (int i = 0; i < 20 && base.empty(); ++i) {
    std::smatch match;
    const std::string line = server.read_line();
    static const std::regex serving(R"((http://127\.0\.0\.1:\d+)/)");
    if (std::regex_search(line, match, serving)) base = match[1];
  }
  ASSERT_FALSE(base.empty());
  const std::vector<std::string> paths = {"/", "/user/ada", "/missing", "/boom"};
  for (const auto& p : paths)
    ASSERT_EQ(run_process({"curl", "-sS", "-o", "/dev/null", base + p}).exit_code, 0);
  // No goodbye: the process gets no chance to flush anything more.
  EXPECT_EQ(server.stop(SIGKILL), 128 + SIGKILL);

  auto loaded = trace::read_trace(path);
  ASSERT_TRUE(loaded) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  for (int req = 1; req <= static_cast<int>(paths.size()); ++req) {
    std::vector<trace::Phase> phases;
    for (const auto& event : loaded.trace->events)
      if (event.req == req) phases.push_back(event.phase);
    for (auto phase : {trace::Phase::RequestReceived, trace::Phase::CallingApp, trace::Phase::View,
                       trace::Phase::ResponseReady, trace::Phase::Sent, trace::Phase::Close}) {
      if (paths[req - 1] == "/missing" && phase == trace::Phase::View) continue;  // no view runs
      EXPECT_NE(std::find(phases.begin(), phases.end(), phase), phases.end())
          << "request " << req << " lacks " << trace::name_of(phase);
    }
  }
}

bool accepts_connections(int port) {
  return reqtrace::testing::RawClient(port).connected();
}

// The arbiter and the forking server's own process see their parent go and stop their children:
// nothing is left listening as an orphan.
std::string scenario_test_name(const ::testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

class KillMultiProcess : public ::testing::TestWithParam<std::string> {};

TEST_P(KillMultiProcess, SigkillLeavesNoProcessListening) {
  Background server({REQTRACE_BINARY, "serve", GetParam(), "--port", "0"});
  int port = 0;
  for (int i = 0; i < 20 && port == 0; ++i) {
    std::smatch match;
    const std::string line = server.read_line();
    static const std::regex serving(R"(http://127\.0\.0\.1:(\d+)/)");
    if (std::regex_search(line, match, serving)) port = std::stoi(match[1]);
  }
  ASSERT_GT(port, 0);
  ASSERT_TRUE(accepts_connections(port));
  EXPECT_EQ(server.stop(SIGKILL), 128 + SIGKILL);
  bool still_listening = true;
  // A bounded wait: the workers get up to 3 s to finish before they are killed.
  for (int i = 0; i < 200 && still_listening; ++i) {
    still_listening = accepts_connections(port);
    if (still_listening) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(still_listening) << "something still accepts on port " << port;
}

INSTANTIATE_TEST_SUITE_P(Models, KillMultiProcess,
                         ::testing::Values("prefork-crowd", "fork-per-request-crowd"),
                         scenario_test_name);

}  // namespace
