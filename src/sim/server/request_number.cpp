#include "sim/server/request_number.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

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

std::optional<int> given_request_number(const http::Request& request) {
  const auto value = request.header(kRequestNumberHeader);
  return value ? parse_request_number(*value) : std::nullopt;
}

}  // namespace reqtrace::server
