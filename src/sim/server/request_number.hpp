// Which request this is: the number the client (or the proxy) gave it in X-Reqtrace-Req, so
// every component's events for one request share the number even when requests arrive out of
// order.
#pragma once

#include <atomic>
#include <optional>
#include <string_view>

#include "sim/http/request.hpp"

namespace reqtrace::server {

// The header the browser and the proxy send, and the var nginx turns it into for uwsgi.
inline constexpr std::string_view kRequestNumberHeader = "X-Reqtrace-Req";
inline constexpr std::string_view kRequestNumberVar = "HTTP_X_REQTRACE_REQ";
inline constexpr int kMaxRequestNumber = 1000000;

// A positive decimal integer up to kMaxRequestNumber, spaces and tabs around it allowed;
// nullopt for anything else, and the server counts instead.
std::optional<int> parse_request_number(std::string_view value);

// The number in the request's X-Reqtrace-Req, among the header fields the parser has accepted
// so far; nullopt when it is not there or its value is invalid.
std::optional<int> given_request_number(const http::Request& request);

// The server's own count, in memory every fork of the process shares: two worker processes never
// hand out the same number.
class SharedRequestCounter {
 public:
  SharedRequestCounter();  // throws std::runtime_error when the memory cannot be mapped
  ~SharedRequestCounter();
  SharedRequestCounter(const SharedRequestCounter&) = delete;
  SharedRequestCounter& operator=(const SharedRequestCounter&) = delete;
  std::atomic<int>& operator*() const { return *count_; }

 private:
  std::atomic<int>* count_;
};

// The number a request goes by: the one it was `given`, else the server's next own count.
inline int number_request(std::optional<int> given, std::atomic<int>& next_req) {
  return given ? *given : ++next_req;
}

}  // namespace reqtrace::server
