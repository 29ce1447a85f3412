// Questions made from any trace, even a live one with no authored quiz: "what is <variable> after
// step k?" and "which actor acts next?", with wrong choices drawn from the same trace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lesson/quiz/quiz.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// Up to `count` questions at `level`, the same ones for the same seed. The variables asked about
// are `track`'s; with none tracked, those the trace's events set. Ids start with "gen-".
std::vector<Question> generate_questions(const std::vector<scenario::Tracked>& track,
                                         const std::vector<trace::Event>& events, int level,
                                         std::size_t count, std::uint32_t seed);

}  // namespace reqtrace::lesson
