#include "sim/proxy/static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sim/http/http_date.hpp"
#include "sim/http/request.hpp"
#include "sim/proxy/content_type.hpp"
#include "sim/proxy/error_page.hpp"
#include "sim/proxy/static_path.hpp"
#include "sim/server/file_descriptor.hpp"

namespace reqtrace::proxy {
namespace {

namespace fs = std::filesystem;

StaticReply error_reply(int status, std::string reason) {
  StaticReply reply;
  reply.status = status;
  reply.reason = std::move(reason);
  reply.body = error_page(status);
  reply.headers = {{"Content-Type", "text/html"},
                   {"Content-Length", std::to_string(reply.body.size())}};
  return reply;
}

// Where the open file really is: the kernel's answer, after every symlink on the way.
std::string real_path_of(int fd) {
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  std::error_code ec;
  fs::path target = fs::read_symlink(link, ec);
  return ec ? std::string() : target.string();
}

bool inside(const std::string& path, const std::string& root) {
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

bool read_whole(int fd, std::size_t size, std::string& out) {
  out.resize(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, out.data() + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);  // a file that shrank meanwhile is sent as it now is
  return done == size;
}

}  // namespace

std::unique_ptr<StaticFiles> StaticFiles::open(const fs::path& root, std::string prefix,
                                               std::string& error) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    error = "static_root " + root.string() + " is not a folder";
    return nullptr;
  }
  fs::path canonical = fs::canonical(root, ec);
  if (ec) {
    error = "static_root " + root.string() + ": " + ec.message();
    return nullptr;
  }
  return std::unique_ptr<StaticFiles>(new StaticFiles(std::move(canonical), std::move(prefix)));
}

bool StaticFiles::matches(std::string_view path) const {
  return path.substr(0, prefix_.size()) == prefix_;
}

StaticReply StaticFiles::serve(const http::Request& request) const {
  const StaticPath path = static_path(request.path, prefix_);
  if (path.refused()) return error_reply(path.status, path.reason);

  const std::string root = root_.string();
  const std::string wanted = root + "/" + path.relative;
  // O_NONBLOCK: a FIFO in the folder must not hang the proxy in open().
  server::FileDescriptor file(::open(wanted.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!file) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR)
      return error_reply(404, "no file " + path.relative + " in static_root");
    if (error == EACCES) return error_reply(403, "the file is not readable");
    if (error == ELOOP) return error_reply(403, "a loop of symlinks");
    return error_reply(500, "cannot open " + path.relative + ": " + std::strerror(error));
  }
  // Checked on the open file, not on the name, so nothing can be swapped in between.
  const std::string real = real_path_of(file.get());
  if (!inside(real, root))
    return error_reply(403, "a symlink leads out of static_root, to " + real);
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) return error_reply(500, std::strerror(errno));
  if (S_ISDIR(info.st_mode))
    return error_reply(403, "a directory: listings are off (autoindex off) and it has no index");
  if (!S_ISREG(info.st_mode)) return error_reply(403, "not a regular file");

  if (request.method != "GET" && request.method != "HEAD") {
    StaticReply reply = error_reply(405, "static files answer GET and HEAD only");
    reply.headers.emplace_back("Allow", "GET, HEAD");
    return reply;
  }

  StaticReply reply;
  reply.file = real;
  const std::string last_modified = http::format_http_date(info.st_mtim.tv_sec);
  if (auto since = request.header("If-Modified-Since")) {
    auto when = http::parse_http_date(*since);
    if (when && *when >= info.st_mtim.tv_sec) {
      reply.status = 304;
      reply.reason = "not modified since " + std::string(*since);
      reply.headers = {{"Last-Modified", last_modified}};
      return reply;
    }
  }
  reply.headers = {{"Content-Type", std::string(content_type_for(path.relative))},
                   {"Content-Length", std::to_string(info.st_size)},
                   {"Last-Modified", last_modified}};
  if (request.method == "GET" &&
      !read_whole(file.get(), static_cast<std::size_t>(info.st_size), reply.body)) {
    return error_reply(500, "the file could not be read whole");
  }
  return reply;
}

}  // namespace reqtrace::proxy
