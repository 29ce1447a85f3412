// Serving files from static_root the way nginx's static module does, without the app.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reqtrace::http {
struct Request;
}

namespace reqtrace::proxy {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// What the proxy answers a static request with, and what the trace says about it.
struct StaticReply {
  int status = 200;    // 200, 304, or 400, 403, 404, 405, 500
  HeaderList headers;  // Content-Type, Content-Length, Last-Modified (Allow for a 405)
  std::string body;    // the file; nginx's error page for an error; empty for HEAD and 304
  std::string file;    // the file's real path when one was found
  std::string reason;  // for anything but 200: why, in a sentence
};

class StaticFiles {
 public:
  // nullptr with `error` set when `root` is not a directory. Its real path, taken now, is the
  // fence: a file whose real path is not inside it is never served.
  static std::unique_ptr<StaticFiles> open(const std::filesystem::path& root, std::string prefix,
                                           std::string& error);

  const std::string& prefix() const { return prefix_; }
  const std::filesystem::path& root() const { return root_; }
  // Whether a request path is under the prefix: nginx's "location /static/".
  bool matches(std::string_view path) const;

  // GET and HEAD of a file: Last-Modified, and 304 when If-Modified-Since is not older than the
  // file. A path that leads out of the root, by "..", encoding or a symlink, is refused; a
  // symlink whose target is inside the root is followed.
  StaticReply serve(const http::Request& request) const;

 private:
  StaticFiles(std::filesystem::path root, std::string prefix)
      : root_(std::move(root)), prefix_(std::move(prefix)) {}
  std::filesystem::path root_;  // canonical
  std::string prefix_;
};

}  // namespace reqtrace::proxy
