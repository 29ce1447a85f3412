// Writes a trace file: a header line, then one JSON line per event, as they are flushed.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "trace/event.hpp"

namespace reqtrace::trace {

inline constexpr int kTraceFormatVersion = 1;
inline constexpr const char* kTraceFormatName = "reqtrace-trace";

class TraceWriter {
 public:
  // Creates (truncates) the file and writes the header. nullptr with `error` set
  // when the file cannot be written.
  static std::unique_ptr<TraceWriter> open(const std::filesystem::path& path,
                                           const nlohmann::json& scenario, std::string& error);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // One write() per batch: once it returns the lines are the kernel's, so a
  // run killed right after still leaves them in the file.
  bool write(const std::vector<Event>& events);
  const std::string& error() const { return error_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  TraceWriter(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  bool write_all(const std::string& bytes);

  int fd_;
  std::filesystem::path path_;
  std::string error_;
  std::string buffer_;
};

// A moment in UTC as "2026-11-23T06:31:34Z": the header's started_at, a quiz result's time.
std::string utc_timestamp(
    std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

}  // namespace reqtrace::trace
