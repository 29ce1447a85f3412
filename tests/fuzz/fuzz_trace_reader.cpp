// Fuzzes the trace reader with any text: read_trace_text must never crash, and gives either a
// trace whose events are in seq order or errors, each naming the file.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "trace/trace_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  reqtrace::trace::TraceLoaded loaded = reqtrace::trace::read_trace_text(text, "fuzz.jsonl");

  FUZZ_CHECK(loaded.trace.has_value() == loaded.errors.empty(), "a trace and errors, or neither");
  for (const std::string& error : loaded.errors) {
    FUZZ_CHECK(error.rfind("fuzz.jsonl", 0) == 0, "an error that does not start with the file");
    FUZZ_CHECK(error.size() > std::string("fuzz.jsonl: ").size(), "an error without a message");
  }
  for (const std::string& warning : loaded.warnings) {
    FUZZ_CHECK(warning.rfind("fuzz.jsonl", 0) == 0, "a warning that does not start with the file");
  }
  if (loaded.trace) {
    const auto& events = loaded.trace->events;
    FUZZ_CHECK(std::is_sorted(events.begin(), events.end(),
                              [](const auto& a, const auto& b) { return a.seq < b.seq; }),
               "events not in seq order");
    FUZZ_CHECK(loaded.trace->scenario.is_object(), "a trace without its scenario object");
  }
  return 0;
}
