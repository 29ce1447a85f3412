// Reloading a scenario file while a lesson is open: noticing a finished change, deciding whether
// the stack must run again, and keeping the student's place. No file system, no UI: the viewer
// reads the file's stamp and the file, and asks this model what to do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "lesson/steps.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// What a poll of the file saw: enough to tell that it changed, not what changed.
struct FileStamp {
  bool exists = false;
  std::int64_t modified_ns = 0;  // the file's modification time, in any fixed unit
  std::uintmax_t size = 0;
  bool operator==(const FileStamp&) const = default;
};

// Says "reload" once per change, and only when the file has stopped changing: an editor saving
// may truncate, then write, then rename; reading in between would show errors that are not there.
class FileWatch {
 public:
  explicit FileWatch(FileStamp loaded) : loaded_(loaded), last_(loaded) {}
  // Call at every poll (the viewer: about twice a second). True when the file differs from the
  // one loaded and looked the same at the previous poll; the caller then reloads it.
  bool poll(const FileStamp& now);

 private:
  FileStamp loaded_;  // the stamp of the file as last reloaded
  FileStamp last_;    // the stamp at the previous poll
};

// Whether the new scenario changes what a run does (topology, app, requests), so the trace must
// be recorded again; otherwise only the lesson changed and the same trace serves.
bool needs_new_run(const scenario::Scenario& before, const scenario::Scenario& after);

// The step to show once the events or the level changed: the one covering the same happening,
// found by phase, request and how many of that phase the request had before it; else the step
// covering the same place in the trace, or the last step.
std::size_t keep_place(const std::vector<trace::Event>& old_events, std::size_t old_event,
                       const std::vector<trace::Event>& new_events,
                       const std::vector<Step>& new_steps);

}  // namespace reqtrace::lesson
