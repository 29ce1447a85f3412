// Findings of the fuzzers, and of reading them as an attacker would, whose inputs are too large
// to keep as seed files: each is rebuilt here in memory.
#include <gtest/gtest.h>

#include <string>

#include "scenario/load.hpp"
#include "trace/trace_reader.hpp"
#include "trace/trace_writer.hpp"

namespace {

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string header_line(const std::string& scenario) {
  return std::string(R"({"format":")") + reqtrace::trace::kTraceFormatName + R"(","version":)" +
         std::to_string(reqtrace::trace::kTraceFormatVersion) + R"(,"scenario":)" + scenario +
         "}\n";
}

bool mentions_nesting(const std::string& message) {
  return message.find("nested more than") != std::string::npos;
}

// Copying a parsed value recursed once per level and overflowed the stack at about 100k levels.
TEST(ScenarioLoader, DeeplyNestedTextIsAProblemNotACrash) {
  std::string text = R"({"id": "deep", "topology": )" + nested(1'000'000) + "}";
  reqtrace::scenario::Loaded loaded = reqtrace::scenario::load_text(text, "deep.json");
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_TRUE(mentions_nesting(loaded.problems[0].message)) << loaded.problems[0].to_string();
  EXPECT_EQ(loaded.problems[0].line, 1);
}

TEST(ScenarioLoader, NestingUpToTheLimitIsNotRefusedForIt) {
  // The top-level object is one level, so 99 arrays inside it reach exactly 100.
  std::string text = R"({"id": "deep", "topology": )" + nested(99) + "}";
  reqtrace::scenario::Loaded loaded = reqtrace::scenario::load_text(text, "deep.json");
  for (const auto& problem : loaded.problems) {
    EXPECT_FALSE(mentions_nesting(problem.message)) << problem.to_string();
  }
}

TEST(ScenarioLoader, BracketsInCommentsAndStringsAreNotNesting) {
  std::string text =
      "// " + nested(500) + "\n/* " + nested(500) + " */\n{\"id\": \"" + nested(500) + "\"}";
  reqtrace::scenario::Loaded loaded = reqtrace::scenario::load_text(text, "deep.json");
  for (const auto& problem : loaded.problems) {
    EXPECT_FALSE(mentions_nesting(problem.message)) << problem.to_string();
  }
}

// The header's embedded scenario was copied through dump() and parse(), both recursive.
TEST(TraceReader, DeeplyNestedHeaderIsAnErrorNotACrash) {
  std::string text = header_line(R"({"x":)" + nested(1'000'000) + "}");
  reqtrace::trace::TraceLoaded loaded = reqtrace::trace::read_trace_text(text, "deep.jsonl");
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_TRUE(mentions_nesting(loaded.errors[0])) << loaded.errors[0];
  EXPECT_EQ(loaded.errors[0].rfind("deep.jsonl:1:", 0), 0u) << loaded.errors[0];
}

TEST(TraceReader, DeeplyNestedEventIsAnErrorNotACrash) {
  std::string text = header_line("{}") + R"({"seq":0,"data":)" + nested(1'000'000) + "}\n";
  reqtrace::trace::TraceLoaded loaded = reqtrace::trace::read_trace_text(text, "deep.jsonl");
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_TRUE(mentions_nesting(loaded.errors[0])) << loaded.errors[0];
  EXPECT_EQ(loaded.errors[0].rfind("deep.jsonl:2:", 0), 0u) << loaded.errors[0];
}

TEST(TraceReader, BracketsInStringsAreNotNesting) {
  std::string text = header_line(R"({"note":")" + nested(500) + R"(\"["})");
  reqtrace::trace::TraceLoaded loaded = reqtrace::trace::read_trace_text(text, "deep.jsonl");
  EXPECT_TRUE(loaded) << (loaded.errors.empty() ? "" : loaded.errors[0]);
}

}  // namespace
