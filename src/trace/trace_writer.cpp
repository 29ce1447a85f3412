#include "trace/trace_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "trace/event_json.hpp"

namespace reqtrace::trace {

std::string utc_timestamp(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::unique_ptr<TraceWriter> TraceWriter::open(const std::filesystem::path& path,
                                               const nlohmann::json& scenario, std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = path.string() + ": cannot write the trace: " + std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<TraceWriter> writer(new TraceWriter(fd, path));
  nlohmann::ordered_json header;
  header["format"] = kTraceFormatName;
  header["version"] = kTraceFormatVersion;
  header["scenario"] = scenario;
  header["started_at"] = utc_timestamp();
  if (!writer->write_all(header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                         "\n")) {
    error = writer->error();
    return nullptr;
  }
  return writer;
}

TraceWriter::~TraceWriter() {
  ::close(fd_);
}

bool TraceWriter::write(const std::vector<Event>& events) {
  buffer_.clear();
  for (const Event& event : events) append_json_line(event, buffer_);
  return write_all(buffer_);
}

bool TraceWriter::write_all(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = path_.string() + ": writing the trace failed: " + std::strerror(errno);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace reqtrace::trace
