// Reads a recorded trace file back: the header with its embedded scenario, and every event.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "trace/event.hpp"

namespace reqtrace::trace {

// NOLINTNEXTLINE(bugprone-exception-escape): json's move asserts its invariant; it never throws.
struct Trace {
  int version = 0;
  nlohmann::json scenario;  // the scenario the trace was recorded from, as written
  std::string started_at;
  std::vector<Event> events;  // in seq order
};

// Either the trace or the reasons it cannot be read, each "file:line:col: /pointer: what was
// expected". A last line cut short (a run killed mid-write) is dropped with a warning, not an
// error.
struct TraceLoaded {
  std::optional<Trace> trace;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  explicit operator bool() const { return trace.has_value(); }
};

TraceLoaded read_trace(const std::filesystem::path& path);
TraceLoaded read_trace_text(const std::string& text, const std::string& file);

// True when the file starts like a trace (its first line names the trace format),
// so the command line can accept either a scenario or a trace.
bool looks_like_trace(const std::filesystem::path& path);

}  // namespace reqtrace::trace
