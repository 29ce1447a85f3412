// One lesson's events, whether they arrive live from a running stack or come from a trace file.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "trace/event.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::trace {

// The viewer's single model of a trace (Tracy's Worker): a recorded file and a
// live capture are the same object, filled differently. The stack's threads
// append() batches; the UI thread calls poll() once per frame, which moves what
// arrived into events(). Only poll() changes events(), so the UI reads it
// without a lock.
class Session {
 public:
  enum class Origin { File, Live };

  // A recorded trace: every event is readable at once.
  Session(const nlohmann::json& scenario, std::vector<Event> events, std::string source);
  // A live capture: events arrive through append() as the stack flushes them.
  Session(const nlohmann::json& scenario, std::string source);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // From any thread. Keeps the batch until the next poll().
  void append(const std::vector<Event>& batch);

  // A Recorder sink that appends to this session for as long as it lives.
  static Recorder::Sink sink_for(const std::shared_ptr<Session>& session);

  // UI thread. Moves the events that arrived since the last poll into
  // events(), in seq order. Never waits: if a flush is handing over a batch at
  // this moment, the batch is picked up next frame. Returns how many moved.
  std::size_t poll();

  const std::vector<Event>& events() const { return events_; }
  const nlohmann::json& scenario() const { return *scenario_; }
  Origin origin() const { return origin_; }
  // A file's path or "live: <scenario id>", for the title bar and messages.
  const std::string& source() const { return source_; }
  // Events appended but not yet polled, from any thread.
  std::size_t waiting() const;
  // Bumped when a poll had to put a late event before ones already read, so
  // whoever built on events() incrementally knows to start over.
  std::uint64_t reorders() const { return reorders_; }

 private:
  std::unique_ptr<nlohmann::json> scenario_;
  Origin origin_;
  std::string source_;
  std::vector<Event> events_;
  std::uint64_t reorders_ = 0;

  mutable std::mutex arriving_mutex_;
  std::vector<Event> arriving_;
};

}  // namespace reqtrace::trace
