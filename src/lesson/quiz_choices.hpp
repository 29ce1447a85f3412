// Choices made from a trace: plausible wrong answers beside the right one, in a seeded order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "lesson/quiz.hpp"
#include "lesson/steps.hpp"
#include "lesson/variable_fold.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// A seeded generator whose draws are the same on every standard library: only mt19937's own
// output is used, never the distributions, which each library implements its own way.
class QuizRandom {
 public:
  explicit QuizRandom(std::uint32_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) { return n == 0 ? 0 : engine_() % n; }
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

 private:
  std::mt19937 engine_;
};

// A stable seed from text (FNV-1a), so a quiz's made choices keep their order run after run.
std::uint32_t seed_from(std::string_view text);

// The actor as the choices show it: "server (the WSGI server)".
std::string actor_label(trace::Actor actor);

// Each returns the right choice first, then up to `wrong` others.
// What happens at step `step`: its message, against the nearest steps of the same request
// that are of other phases (the ones still to come first).
std::vector<Choice> phase_choices(const std::vector<trace::Event>& events,
                                  const std::vector<Step>& steps, std::size_t step,
                                  std::size_t wrong);
// Who acts: the actor, against the other actors of the trace.
std::vector<Choice> actor_choices(const std::vector<trace::Event>& events, trace::Actor actor,
                                  std::size_t wrong);
// A variable's value after step `step`, against the other values it takes in the trace, the
// nearest steps' first.
std::vector<Choice> value_choices(const VariableFold& fold, std::size_t var, std::size_t step,
                                  std::size_t wrong);

// Puts `choices` in a seeded order; returns where the one at `right` went.
std::size_t shuffle_choices(std::vector<Choice>& choices, std::size_t right, std::uint32_t seed);

}  // namespace reqtrace::lesson
