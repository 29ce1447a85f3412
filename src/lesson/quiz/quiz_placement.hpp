// The scenario's quizzes placed on a growing trace at the walkthrough's level.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lesson/anchor.hpp"
#include "lesson/quiz/quiz.hpp"
#include "lesson/walkthrough.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// An authored quiz that is not asked on this trace at this level, and why, in a sentence.
struct Skipped {
  std::string id;
  std::string reason;
};

struct PlacedQuizzes {
  std::vector<Question> questions;  // in the order they are asked
  std::vector<Skipped> skipped;
};

// Each quiz sits at its anchor's step; a quiz whose anchor has not happened is skipped, and so
// is a predict quiz whose step is finer than the level, since that step is never shown. Value
// and predict questions are graded by the walkthrough, not by the author.
//
// Kept up to date as events arrive: update() looks only at the new events for anchors, and
// places again only the quizzes the new events can still change (one whose step is still the
// last, whose choices are not all found yet, or whose text names a step still to come); the
// others are settled. A new level places every quiz again.
class QuizPlacement {
 public:
  // `scenario` must outlive the placement.
  explicit QuizPlacement(const scenario::Scenario* scenario);

  // After walkthrough.update(events). True when a question or a skip changed.
  bool update(const std::vector<trace::Event>& events, const Walkthrough& walkthrough);
  // After walkthrough.set_level(events, level): every quiz is placed again.
  void set_level(const std::vector<trace::Event>& events, const Walkthrough& walkthrough);

  const PlacedQuizzes& placed() const { return placed_; }

 private:
  struct Slot {
    std::size_t anchor = 0;                                  // in anchors_
    std::vector<std::pair<std::string, std::size_t>> named;  // "{step:PHASE}": PHASE's anchor
    std::optional<Question> question;
    std::string skipped;   // why it is not asked, when it is not
    bool settled = false;  // nothing still to come can change it
  };

  void place(Slot& slot, const scenario::Quiz& quiz, const std::vector<trace::Event>& events,
             const Walkthrough& walkthrough) const;
  std::string fill_steps(const std::string& text, const Slot& slot, std::size_t own_step,
                         const Walkthrough& walkthrough) const;
  void collect();

  const scenario::Scenario* scenario_;
  AnchorIndex anchors_;
  std::vector<trace::Actor> actors_;  // in the order they first act
  std::size_t seen_ = 0;
  std::vector<Slot> slots_;  // one per quiz, in the scenario's order
  PlacedQuizzes placed_;
};

// The scenario's quizzes on a whole trace, as `walkthrough` (which has taken in `events`) splits
// it: what `reqtrace quiz` asks.
PlacedQuizzes place_quizzes(const scenario::Scenario& scenario,
                            const std::vector<trace::Event>& events,
                            const Walkthrough& walkthrough);

}  // namespace reqtrace::lesson
