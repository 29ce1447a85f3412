// What the teacher's notes say at the current step: the scenario's words and its key moments.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lesson/anchor.hpp"
#include "lesson/steps.hpp"
#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

struct NarrationView {
  std::string action;  // the step's own event message
  std::string words;   // the scenario's narration for what the step's event did; may be empty
  std::vector<const scenario::KeyMoment*> key_moments;  // those falling within the step
  bool last_step = false;  // then the concept snapshot is worth showing
};

// Finds where each key moment happened, looking only at new events each
// update, so it keeps up with a live run and costs nothing per frame.
class Narrator {
 public:
  explicit Narrator(const scenario::Scenario* scenario);
  void update(const std::vector<trace::Event>& events) { moments_.update(events); }

  // The scenario's words for event `event`: for its phase, chosen by its actor and by the status
  // class of its request's response (once the trace has it); empty when there are none.
  const std::string& words(const std::vector<trace::Event>& events, std::size_t event) const;
  // The narration for step `step` of `steps`.
  NarrationView at(const std::vector<trace::Event>& events, const std::vector<Step>& steps,
                   std::size_t step) const;
  // The event where key moment `moment` happened, if it has.
  std::optional<std::size_t> moment_event(std::size_t moment) const {
    return moments_.event(moment);
  }

 private:
  const scenario::Scenario* scenario_;
  AnchorIndex moments_;  // one anchor per key moment, in the scenario's order
};

}  // namespace reqtrace::lesson
