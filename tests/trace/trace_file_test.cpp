#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "trace/emitter.hpp"
#include "trace/recorder.hpp"
#include "trace/trace_reader.hpp"
#include "trace/trace_writer.hpp"

namespace reqtrace::trace {
namespace {

namespace fs = std::filesystem;

class TraceFile : public ::testing::Test {
 protected:
  fs::path path =
      fs::path(::testing::TempDir()) /
      (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".jsonl");
  nlohmann::json scenario = {{"id", "hello-wsgi"}, {"title", "Hello"}};

  std::string read_all() {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  void write_text(const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
};

TEST(UtcTimestamp, ReadsAsIso8601InUtc) {
  EXPECT_EQ(trace::utc_timestamp(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(
      trace::utc_timestamp(std::chrono::system_clock::time_point{std::chrono::seconds(86461)}),
      "1970-01-02T00:01:01Z");
}

TEST_F(TraceFile, WritesAndReadsBackEveryField) {
  std::string error;
  auto writer = TraceWriter::open(path, scenario, error);
  ASSERT_TRUE(writer) << error;
  Recorder recorder;
  recorder.add_sink([&](const std::vector<Event>& batch) { ASSERT_TRUE(writer->write(batch)); });
  Emitter server(&recorder, Actor::Server, "server");
  server(Phase::CallingApp, 1, kOverview, "Server calls \"app\"\n",
         {{"server.state", "Processing request"}, {"app.state", "Running home() route"}},
         nlohmann::json{{"environ", {{"PATH_INFO", "/"}}}});
  server(Phase::Sent, 1, kOverview, "sent");
  recorder.flush();
  writer.reset();

  auto loaded = read_trace(path);
  ASSERT_TRUE(loaded) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  EXPECT_TRUE(loaded.warnings.empty());
  const Trace& trace = *loaded.trace;
  EXPECT_EQ(trace.version, kTraceFormatVersion);
  EXPECT_EQ(trace.scenario, scenario);
  ASSERT_EQ(trace.events.size(), 2u);
  const Event& first = trace.events[0];
  EXPECT_EQ(first.actor, Actor::Server);
  EXPECT_EQ(first.phase, Phase::CallingApp);
  EXPECT_EQ(first.msg, "Server calls \"app\"\n");
  ASSERT_EQ(first.vars.size(), 2u);
  EXPECT_EQ(first.vars[0].first, "server.state");  // the order of changes survives
  EXPECT_EQ(first.vars[1].second, "Running home() route");
  EXPECT_EQ(nlohmann::json::parse(first.data)["environ"]["PATH_INFO"], "/");
  EXPECT_TRUE(trace.events[1].data.empty());
  EXPECT_TRUE(looks_like_trace(path));
}

TEST_F(TraceFile, LinesAreWholeOnDiskAsSoonAsABatchIsWritten) {
  std::string error;
  auto writer = TraceWriter::open(path, scenario, error);
  ASSERT_TRUE(writer);
  Event event;
  event.actor = Actor::Client;
  event.phase = Phase::Receive;
  ASSERT_TRUE(writer->write({event}));
  // Not closed: a process killed now leaves what write() handed the kernel.
  auto loaded = read_trace(path);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded.trace->events.size(), 1u);
}

TEST_F(TraceFile, ACutShortLastLineIsDroppedWithAWarning) {
  write_text(
      "{\"format\":\"reqtrace-trace\",\"version\":1,\"scenario\":{}}\n"
      "{\"seq\":0,\"t_ns\":5,\"actor\":\"server\",\"phase\":\"listening\"}\n"
      "{\"seq\":1,\"t_ns\":9,\"actor\":\"ser");
  auto loaded = read_trace(path);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded.trace->events.size(), 1u);
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find(":3:1: the last line is cut short"), std::string::npos)
      << loaded.warnings[0];
}

TEST_F(TraceFile, ATraceFromBeforeFlasksRealOrderStillLoads) {
  // Recorded when dispatch (standing for full_dispatch_request) came before match.
  std::string text = "{\"format\":\"reqtrace-trace\",\"version\":1,\"scenario\":{}}\n";
  const char* old_order[] = {"call",        "middleware",    "dispatch", "match", "view",
                             "view_return", "make_response", "teardown", "close"};
  int seq = 0;
  for (const char* phase : old_order) {
    text += "{\"seq\":" + std::to_string(seq) + ",\"t_ns\":" + std::to_string(seq * 10) +
            R"(,"actor":"app","phase":")" + phase + R"(","req":1,"level":3})" + "\n";
    ++seq;
  }
  write_text(text);
  auto loaded = read_trace(path);
  ASSERT_TRUE(loaded) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  ASSERT_EQ(loaded.trace->events.size(), 9u);
  EXPECT_EQ(loaded.trace->events[2].phase, Phase::Dispatch);
  EXPECT_EQ(loaded.trace->events[3].phase, Phase::Match);
}

TEST_F(TraceFile, ANewerVersionIsRefusedWithASentence) {
  write_text("{\"format\":\"reqtrace-trace\",\"version\":7,\"scenario\":{}}\n");
  auto loaded = read_trace(path);
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_NE(loaded.errors[0].find(":1:1: /version: this trace was written in format version 7 by a "
                                  "newer reqtrace; this one reads version 1"),
            std::string::npos)
      << loaded.errors[0];
}

TEST_F(TraceFile, ABrokenMiddleLineNamesLineColumnAndKey) {
  write_text(
      "{\"format\":\"reqtrace-trace\",\"version\":1,\"scenario\":{}}\n"
      "{\"seq\":0,\"t_ns\":5,\"actor\":\"server\",\"phase\":\"listening\"}\n"
      "{\"seq\":1 \"t_ns\":9}\n"
      "{\"seq\":2,\"t_ns\":9,\"actor\":\"server\",\"phase\":\"dancing\"}\n"
      "{\"seq\":3,\"actor\":\"server\",\"phase\":\"sent\"}\n");
  auto loaded = read_trace(path);
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.errors.size(), 3u);
  EXPECT_NE(loaded.errors[0].find(":3:15: "), std::string::npos) << loaded.errors[0];
  EXPECT_NE(loaded.errors[1].find(":4:1: /phase: unknown phase \"dancing\""), std::string::npos)
      << loaded.errors[1];
  EXPECT_NE(loaded.errors[2].find(":5:1: /t_ns: missing required key"), std::string::npos)
      << loaded.errors[2];
}

TEST_F(TraceFile, NotATraceAtAll) {
  write_text("{\"id\":\"hello-wsgi\"}\n");
  auto loaded = read_trace(path);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.errors[0].find("not a reqtrace trace file"), std::string::npos);
  EXPECT_FALSE(looks_like_trace(path));

  auto missing = read_trace(path.string() + ".nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.errors[0].find("cannot open the trace"), std::string::npos);
}

}  // namespace
}  // namespace reqtrace::trace
