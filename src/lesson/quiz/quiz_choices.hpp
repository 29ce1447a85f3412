// Choices made from a trace: plausible wrong answers beside the right one, in a seeded order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "lesson/quiz/quiz.hpp"
#include "lesson/steps.hpp"
#include "lesson/walkthrough.hpp"
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

// Each returns the right choice first, then up to `wrong` others. Those made from steps near
// `step` set `reach`, when given, to the furthest step they depend on, which may be one still
// to come: once all are found and that step is closed, a growing trace cannot change them.
// What happens at step `step`: its message, against the nearest steps of the same request
// that are of other phases (the ones still to come first).
std::vector<Choice> phase_choices(const std::vector<trace::Event>& events,
                                  const std::vector<Step>& steps, std::size_t step,
                                  std::size_t wrong, std::size_t* reach = nullptr);
// Who acts: the actor, against the other actors of the trace (`actors`, as note_actors lists
// them).
std::vector<Choice> actor_choices(const std::vector<trace::Actor>& actors, trace::Actor actor,
                                  std::size_t wrong);
// A variable's value after step `step`, against the other values it takes in the trace, the
// nearest steps' first.
std::vector<Choice> value_choices(const Walkthrough& walkthrough, std::size_t var, std::size_t step,
                                  std::size_t wrong, std::size_t* reach = nullptr);

// Adds the actors of events [from, end) not in `actors` yet, in the order they first act.
void note_actors(const std::vector<trace::Event>& events, std::size_t from,
                 std::vector<trace::Actor>& actors);

// Puts `choices` in a seeded order; returns where the one at `right` went.
std::size_t shuffle_choices(std::vector<Choice>& choices, std::size_t right, std::uint32_t seed);

}  // namespace reqtrace::lesson
