// A run killed with SIGKILL leaves a trace that loads, with every event of every finished request.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "support/process.hpp"
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

}  // namespace
