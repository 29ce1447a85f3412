// A quiz's results as JSON a teacher can collect, written so that a reader never sees half a file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "lesson/quiz/quiz_session.hpp"

namespace reqtrace::lesson {

// Where the answers were given: which lesson, on which trace, when, at which level.
struct ResultsContext {
  std::string scenario_id;
  std::string trace_kind;  // "run": a run made for the quiz; "file": a recorded trace
  std::string trace_path;  // the scenario file run, or the trace file read
  std::string started_at;  // UTC, ISO 8601, when the quiz began
  int level = 1;
  std::optional<std::uint32_t> seed;  // for generated questions, so they can be asked again
};

// {"format": "reqtrace-quiz-results", "version": 1, "scenario", "trace_source": {kind, path},
//  "started_at", "level", "seed"?, "questions": [{id, kind, question, step, generated, attempts,
//  hints_used, correct, gave_up, answer_given}], "score": {right, total, first_try, answered}}.
// A step is numbered from 1, at the level; answer_given is null for a question never answered.
nlohmann::json results_json(const QuizSession& session, const ResultsContext& context);

// Writes `text` to `path` atomically: PATH.tmp beside it, fsync, rename over PATH, fsync the
// directory. On failure nothing is left but the old file, and `error` says why.
bool write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           std::string& error);

}  // namespace reqtrace::lesson
