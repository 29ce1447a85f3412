// wsgi.input: the request body as a readable stream, as an app sees it.
#pragma once

#include <cstddef>
#include <string>

namespace reqtrace::wsgi {

class InputStream {
 public:
  InputStream() = default;
  explicit InputStream(std::string body) : body_(std::move(body)) {}

  // Up to `size` bytes (all that is left when size is npos); "" at the end.
  std::string read(std::size_t size = std::string::npos);
  // Up to and including the next '\n'.
  std::string readline();
  std::size_t remaining() const { return body_.size() - position_; }
  std::size_t size() const { return body_.size(); }

 private:
  std::string body_;
  std::size_t position_ = 0;
};

}  // namespace reqtrace::wsgi
