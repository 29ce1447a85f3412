#include "sim/wsgi/input_stream.hpp"

#include <algorithm>

namespace reqtrace::wsgi {

std::string InputStream::read(std::size_t size) {
  const std::size_t count = std::min(size, remaining());
  std::string out = body_.substr(position_, count);
  position_ += count;
  return out;
}

std::string InputStream::readline() {
  const std::size_t newline = body_.find('\n', position_);
  return read(newline == std::string::npos ? remaining() : newline - position_ + 1);
}

}  // namespace reqtrace::wsgi
