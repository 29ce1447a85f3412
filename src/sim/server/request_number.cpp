#include "sim/server/request_number.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "sim/http/syntax.hpp"

namespace reqtrace::server {

SharedRequestCounter::SharedRequestCounter() {
  void* page = ::mmap(nullptr, sizeof(std::atomic<int>), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) throw std::runtime_error("mmap: " + std::string(std::strerror(errno)));
  count_ = new (page) std::atomic<int>(0);
}

SharedRequestCounter::~SharedRequestCounter() {
  ::munmap(count_, sizeof *count_);
}

std::optional<int> parse_request_number(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  // Seven digits hold kMaxRequestNumber; more could overflow before the range check.
  if (value.empty() || value.size() > 7) return std::nullopt;
  int number = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + (c - '0');
  }
  if (number < 1 || number > kMaxRequestNumber) return std::nullopt;
  return number;
}

std::optional<int> look_ahead_request_number(std::string_view head) {
  for (;;) {
    const auto newline = head.find('\n');
    if (newline == std::string_view::npos) return std::nullopt;  // the head is not all here
    std::string_view line = head.substr(0, newline);
    head.remove_prefix(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return std::nullopt;  // the blank line: the head ended without it
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // the parser will refuse it
    if (http::iequals(line.substr(0, colon), kRequestNumberHeader))
      return parse_request_number(line.substr(colon + 1));
  }
}

}  // namespace reqtrace::server
