#include "lesson/quiz/quiz_results.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

namespace reqtrace::lesson {
namespace {

// Closes a descriptor when it goes out of scope, whatever path the write takes.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  // Closes now, so that a failing close (some file systems report write errors only there) is
  // seen before the rename.
  bool close_now() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

std::string because(const std::string& what, const std::filesystem::path& path) {
  return "cannot " + what + " " + path.string() + ": " + std::strerror(errno);
}

}  // namespace

nlohmann::json results_json(const QuizSession& session, const ResultsContext& context) {
  nlohmann::json questions = nlohmann::json::array();
  for (std::size_t i = 0; i < session.size(); ++i) {
    const Question& question = session.question(i);
    const QuestionResult& result = session.result(i);
    questions.push_back({{"id", question.id},
                         {"kind", name_of(question.kind)},
                         {"question", question.text},
                         {"step", question.step + 1},
                         {"generated", question.generated},
                         {"attempts", result.attempts},
                         {"hints_used", result.hints_used},
                         {"correct", result.correct},
                         {"gave_up", result.gave_up},
                         {"answer_given", result.answer_given ? nlohmann::json(*result.answer_given)
                                                              : nlohmann::json(nullptr)}});
  }
  const Score score = session.score();
  nlohmann::json out = {
      {"format", "reqtrace-quiz-results"},
      {"version", 1},
      {"scenario", context.scenario_id},
      {"trace_source", {{"kind", context.trace_kind}, {"path", context.trace_path}}},
      {"started_at", context.started_at},
      {"level", context.level},
  };
  if (context.seed) out["seed"] = *context.seed;
  out["questions"] = std::move(questions);
  out["score"] = {{"right", score.right},
                  {"total", score.total},
                  {"first_try", score.first_try},
                  {"answered", score.answered}};
  return out;
}

bool write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           std::string& error) {
  // The temporary file sits beside the target: rename is atomic only within one file system.
  const std::filesystem::path temporary = path.string() + ".tmp";
  Descriptor file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (file.get() < 0) {
    error = because("create", temporary);
    return false;
  }
  const auto give_up = [&](const std::string& what) {
    error = because(what, temporary);
    ::unlink(temporary.c_str());
    return false;
  };
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(file.get(), text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return give_up("write");
    written += static_cast<std::size_t>(n);
  }
  // The data must be on disk before the name points at it, or a crash could leave an empty file.
  if (::fsync(file.get()) != 0) return give_up("sync");
  if (!file.close_now()) return give_up("close");
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    error = "cannot rename " + temporary.string() + " to " + path.string() + ": " +
            std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  // And the rename itself must reach the disk; a directory that cannot be synced is not an
  // error worth losing the results over.
  const std::filesystem::path directory =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  Descriptor folder(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.get() >= 0) ::fsync(folder.get());
  return true;
}

}  // namespace reqtrace::lesson
