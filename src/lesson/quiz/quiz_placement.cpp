#include "lesson/quiz/quiz_placement.hpp"

#include "lesson/quiz/quiz_choices.hpp"

namespace reqtrace::lesson {
namespace {

constexpr std::size_t kMadeWrongChoices = 3;  // four choices in all, like a paper quiz

std::optional<std::size_t> tracked_index(const Walkthrough& walkthrough, std::string_view var) {
  for (std::size_t v = 0; v < walkthrough.variable_count(); ++v)
    if (walkthrough.variable(v).var == var) return v;
  return std::nullopt;
}

std::vector<Choice> authored_choices(const scenario::Quiz& quiz) {
  std::vector<Choice> choices;
  for (std::size_t i = 0; i < quiz.choices.size(); ++i)
    choices.push_back(
        {quiz.choices[i], i < quiz.choice_values.size() ? quiz.choice_values[i] : quiz.choices[i]});
  return choices;
}

// Points right_choice at the choice standing for what the trace did. When none does (a trace
// from another version of the stack), that outcome becomes a choice, so the question can still
// be answered right.
void choose_by_trace(Question& question, const std::string& truth, const std::string& truth_text) {
  for (std::size_t i = 0; i < question.choices.size(); ++i)
    if (same_answer(question.choices[i].value, truth)) {
      question.right_choice = i;
      return;
    }
  question.choices.push_back({truth_text, truth});
  question.right_choice = question.choices.size() - 1;
}

// "{step}" is the quiz's own step and "{step:PHASE}" the step of that phase of the quiz's
// request, `step_of(PHASE)`, both numbered from 1; "?" for a step that is not known.
template <typename StepOf>
std::string fill_step_numbers(const std::string& text, std::size_t own_step,
                              const StepOf& step_of) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{step", pos);
    const std::size_t close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) break;
    const std::string inside = text.substr(open + 1, close - open - 1);  // "step" or "step:x"
    std::optional<std::size_t> step;
    if (inside == "step") {
      step = own_step;
    } else if (inside.rfind("step:", 0) == 0) {
      step = step_of(inside.substr(5));
    } else {
      out.append(text, pos, close + 1 - pos);  // not ours: "{stepping}"
      pos = close + 1;
      continue;
    }
    out.append(text, pos, open - pos);
    out += step ? std::to_string(*step + 1) : "?";
    pos = close + 1;
  }
  out.append(text, pos);
  return out;
}

std::string anchor_words(const scenario::Anchor& at) {
  return "\"" + std::string(trace::name_of(at.phase)) + "\" of request " + std::to_string(at.req);
}

}  // namespace

QuizPlacement::QuizPlacement(const scenario::Scenario* scenario) : scenario_(scenario) {
  for (const scenario::Quiz& quiz : scenario_->quizzes) {
    Slot slot;
    slot.anchor = anchors_.add(quiz.at);
    // The steps its texts name are anchors too: they are found as the events arrive.
    const auto note_named_step = [&](const std::string& name) -> std::optional<std::size_t> {
      const trace::Phase phase = trace::phase_from(name);
      if (phase == trace::Phase::Invalid) return std::nullopt;  // never known: "?"
      for (const auto& [known, anchor] : slot.named)
        if (known == name) return std::nullopt;
      slot.named.emplace_back(name, anchors_.add({phase, quiz.at.req}));
      return std::nullopt;
    };
    for (const std::string* text : {&quiz.question, &quiz.hint, &quiz.explanation})
      fill_step_numbers(*text, 0, note_named_step);
    for (const std::string& choice : quiz.choices) fill_step_numbers(choice, 0, note_named_step);
    slots_.push_back(std::move(slot));
  }
}

std::string QuizPlacement::fill_steps(const std::string& text, const Slot& slot,
                                      std::size_t own_step, const Walkthrough& walkthrough) const {
  return fill_step_numbers(text, own_step, [&](const std::string& name) {
    std::optional<std::size_t> step;
    for (const auto& [known, anchor] : slot.named)
      if (const auto event = anchors_.event(anchor); known == name && event)
        step = walkthrough.step_of_event(*event);
    return step;
  });
}

void QuizPlacement::place(Slot& slot, const scenario::Quiz& quiz,
                          const std::vector<trace::Event>& events,
                          const Walkthrough& walkthrough) const {
  slot.question.reset();
  slot.skipped.clear();
  slot.settled = true;
  const auto at = anchors_.event(slot.anchor);
  if (!at || walkthrough.step_count() == 0) {
    slot.skipped = "its anchor, " + anchor_words(quiz.at) + ", did not happen in this trace";
    slot.settled = false;  // it may yet
    return;
  }
  const trace::Event& event = events[*at];
  if (quiz.kind == QuizKind::Predict && event.level > walkthrough.level()) {
    slot.skipped = "it predicts a step of level " + std::to_string(event.level) + " (" +
                   anchor_words(quiz.at) + "), which level " + std::to_string(walkthrough.level()) +
                   " does not show";
    return;
  }
  const auto var = tracked_index(walkthrough, quiz.var);
  const bool needs_var =
      quiz.kind == QuizKind::Value ||
      (quiz.kind == QuizKind::Predict && quiz.about == scenario::PredictAbout::Var);
  if ((needs_var || !quiz.var.empty()) && !var) {
    slot.skipped = "its var \"" + quiz.var + "\" is not tracked";
    return;
  }

  Question question;
  question.id = quiz.id;
  question.kind = quiz.kind;
  question.var = quiz.var;
  question.event = *at;
  question.step = walkthrough.step_of_event(*at);
  question.when = quiz.kind == QuizKind::Predict ? AskWhen::BeforeStep : AskWhen::AfterStep;
  question.choices = authored_choices(quiz);
  question.text = fill_steps(quiz.question, slot, question.step, walkthrough);
  question.hint = fill_steps(quiz.hint, slot, question.step, walkthrough);
  question.explanation = fill_steps(quiz.explanation, slot, question.step, walkthrough);
  for (Choice& choice : question.choices)
    choice.text = fill_steps(choice.text, slot, question.step, walkthrough);
  for (const auto& [name, anchor] : slot.named)
    if (!anchors_.event(anchor)) slot.settled = false;
  // The value after a step may change while the step is the last: finer events may join it.
  const bool step_closed = question.step + 1 < walkthrough.step_count();

  switch (quiz.kind) {
    case QuizKind::Choice: {
      const bool indexed = quiz.answer.is_number_integer() && quiz.answer.get<long long>() >= 0 &&
                           quiz.answer.get<std::size_t>() < question.choices.size();
      if (!indexed) {
        slot.skipped = "its answer is not the index of one of its choices";
        return;
      }
      question.right_choice = quiz.answer.get<std::size_t>();
      question.expected = question.choices[*question.right_choice].value;
      break;
    }
    case QuizKind::Value:
      // Graded against the variable tracker at this level: the value after the step.
      question.expected = walkthrough.value_after(question.step, *var);
      // The author's other forms are right only when the trace agrees with the author.
      if (quiz.answer.is_string() && same_answer(quiz.answer.get<std::string>(), question.expected))
        question.accepted = quiz.accept;
      if (!question.choices.empty())
        choose_by_trace(question, question.expected, question.expected);
      slot.settled = slot.settled && step_closed;
      break;
    case QuizKind::Predict: {
      // Graded by what the trace did at the step; choices the author did not give are made
      // from the trace.
      const bool make = question.choices.empty();
      std::string truth_text;
      std::vector<Choice> made;
      std::size_t reach = question.step;
      switch (quiz.about) {
        case scenario::PredictAbout::Actor:
          question.expected = std::string(trace::name_of(event.actor));
          truth_text = actor_label(event.actor);
          if (make) made = actor_choices(actors_, event.actor, kMadeWrongChoices);
          break;
        case scenario::PredictAbout::Var:
          question.expected = truth_text = walkthrough.value_after(question.step, *var);
          if (make)
            made = value_choices(walkthrough, *var, question.step, kMadeWrongChoices, &reach);
          slot.settled = slot.settled && step_closed;
          break;
        case scenario::PredictAbout::Phase:
        case scenario::PredictAbout::Invalid:  // not read from a file: about the phase
          question.expected = std::string(trace::name_of(event.phase));
          truth_text = event.msg;
          if (make)
            made = phase_choices(events, walkthrough.steps(), question.step, kMadeWrongChoices,
                                 &reach);
          break;
      }
      if (!make) {
        choose_by_trace(question, question.expected, truth_text);
      } else {
        // Until all are found, or while a step they depend on may still change, more events
        // can change them.
        slot.settled =
            slot.settled && made.size() > kMadeWrongChoices && reach + 1 < walkthrough.step_count();
        // With fewer than two outcomes to choose from, the student types the answer.
        if (made.size() >= 2) {
          question.right_choice = shuffle_choices(made, 0, seed_from(quiz.id));
          question.choices = std::move(made);
        }
      }
      break;
    }
    case QuizKind::Invalid:  // the loader makes none; only a quiz made in code can lack a kind
      slot.skipped = "it has no kind";
      return;
  }
  slot.question = std::move(question);
}

bool QuizPlacement::update(const std::vector<trace::Event>& events,
                           const Walkthrough& walkthrough) {
  if (events.size() <= seen_) return false;
  anchors_.update(events);
  note_actors(events, seen_, actors_);
  seen_ = events.size();
  bool changed = false;
  for (std::size_t q = 0; q < slots_.size(); ++q) {
    Slot& slot = slots_[q];
    if (slot.settled) continue;
    const Slot before = slot;
    place(slot, scenario_->quizzes[q], events, walkthrough);
    changed = changed || slot.question != before.question || slot.skipped != before.skipped;
  }
  if (changed) collect();
  return changed;
}

void QuizPlacement::set_level(const std::vector<trace::Event>& events,
                              const Walkthrough& walkthrough) {
  anchors_.update(events);
  note_actors(events, seen_, actors_);
  seen_ = events.size();
  for (std::size_t q = 0; q < slots_.size(); ++q)
    place(slots_[q], scenario_->quizzes[q], events, walkthrough);
  collect();
}

void QuizPlacement::collect() {
  placed_ = {};
  for (std::size_t q = 0; q < slots_.size(); ++q) {
    if (slots_[q].question) placed_.questions.push_back(*slots_[q].question);
    if (!slots_[q].skipped.empty())
      placed_.skipped.push_back({scenario_->quizzes[q].id, slots_[q].skipped});
  }
  order_questions(placed_.questions);
}

PlacedQuizzes place_quizzes(const scenario::Scenario& scenario,
                            const std::vector<trace::Event>& events,
                            const Walkthrough& walkthrough) {
  QuizPlacement placement(&scenario);
  placement.set_level(events, walkthrough);
  return placement.placed();
}

}  // namespace reqtrace::lesson
