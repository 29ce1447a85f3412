// The run's count of requests on their way, sent with no answer yet: the "client.waiting" var.
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "trace/event.hpp"

namespace reqtrace::client {

// Shared by every browser of a run. The crowd lesson's number: with a one-at-a-time server it
// climbs to the crowd's size and drains one answer at a time.
class InFlight {
 public:
  static constexpr const char* kVar = "client.waiting";

  // Adds `delta` and emits the event that did it with the new count, both under one lock, so
  // the trace's values come in the order they were set.
  void change(int delta, const std::function<void(trace::Vars)>& emit) {
    std::lock_guard lock(mutex_);
    count_ += delta;
    emit({{kVar, std::to_string(count_)}});
  }

 private:
  std::mutex mutex_;
  int count_ = 0;
};

}  // namespace reqtrace::client
