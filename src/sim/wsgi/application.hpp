// The WSGI contract between a server and an app: app(environ, start_response) -> iterable of bytes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/wsgi/environ.hpp"

namespace reqtrace::wsgi {

using Headers = std::vector<std::pair<std::string, std::string>>;

// start_response(status, response_headers, exc_info=None). The server's side
// enforces PEP 3333's rules and throws StartResponseError when they are broken.
class StartResponse {
 public:
  virtual ~StartResponse() = default;
  // `status` is "200 OK"; `exc_info` is true when called from an error handler
  // that replaces a response not yet sent.
  virtual void operator()(const std::string& status, const Headers& headers,
                          bool exc_info = false) = 0;
};

// What the app returns: an iterable of body chunks. The server calls next()
// until it is exhausted and then close(), even when sending failed.
class ResponseIterable {
 public:
  virtual ~ResponseIterable() = default;
  virtual std::optional<std::string> next() = 0;
  virtual void close() {}
  // A length the server may trust for Content-Length when the app gave none
  // (PEP 3333 lets a server do this for a one-element list); nullopt otherwise.
  virtual std::optional<std::size_t> known_length() const { return std::nullopt; }
  // The whole body when the app returned it complete (a list, not a generator):
  // a server may look at a list without consuming it.
  virtual std::optional<std::string> body_if_known() const { return std::nullopt; }
};

// A body that is already complete, like Flask's Response with a str body.
class ChunkList : public ResponseIterable {
 public:
  explicit ChunkList(std::vector<std::string> chunks) : chunks_(std::move(chunks)) {}
  std::optional<std::string> next() override {
    if (index_ >= chunks_.size()) return std::nullopt;
    return chunks_[index_++];
  }
  std::optional<std::size_t> known_length() const override {
    if (chunks_.size() != 1) return std::nullopt;
    return chunks_.front().size();
  }
  std::optional<std::string> body_if_known() const override {
    std::string body;
    for (const auto& chunk : chunks_) body += chunk;
    return body;
  }

 private:
  std::vector<std::string> chunks_;
  std::size_t index_ = 0;
};

class Application {
 public:
  virtual ~Application() = default;
  virtual std::unique_ptr<ResponseIterable> operator()(Environ& environ,
                                                       StartResponse& start_response) = 0;
};

}  // namespace reqtrace::wsgi
