// The run's one counter that numbers requests, in the order they start, for X-Reqtrace-Req.
#pragma once

#include <atomic>
#include <string_view>

namespace reqtrace::client {

// The header every request carries its number in, so the proxy and the server tie their events
// to the same request even when requests arrive in another order than they were started.
inline constexpr std::string_view kRequestNumberHeader = "X-Reqtrace-Req";

// Shared by every browser of a run (the crowd's too): a number is taken at the moment a request
// starts, so request 1 is the first one sent, whatever lane it is on.
class RequestNumbers {
 public:
  int next() { return last_.fetch_add(1, std::memory_order_relaxed) + 1; }
  int last() const { return last_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int> last_{0};
};

}  // namespace reqtrace::client
