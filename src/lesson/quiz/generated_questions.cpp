#include "lesson/quiz/generated_questions.hpp"

#include <set>
#include <utility>

#include "lesson/quiz/quiz_choices.hpp"
#include "lesson/walkthrough.hpp"

namespace reqtrace::lesson {
namespace {

constexpr std::size_t kWrongChoices = 3;

// With nothing tracked, a live trace still sets variables: ask about those, in first-seen order.
std::vector<scenario::Tracked> vars_to_ask(const std::vector<scenario::Tracked>& track,
                                           const std::vector<trace::Event>& events) {
  if (!track.empty()) return track;
  std::vector<scenario::Tracked> seen;
  std::set<std::string> names;
  for (const trace::Event& event : events)
    for (const auto& [name, value] : event.vars)
      if (names.insert(name).second) seen.push_back({name, name, "—"});
  return seen;
}

std::string step_words(std::size_t step) {
  return "step " + std::to_string(step + 1);
}

std::string in_quotes(const std::string& text) {
  return "\"" + text + "\"";
}

Question value_question(const Walkthrough& walkthrough, const std::vector<trace::Event>& events,
                        std::size_t step, std::size_t var) {
  const scenario::Tracked& tracked = walkthrough.variable(var);
  const trace::Event& event = events[walkthrough.steps()[step].event];
  const std::string& before = walkthrough.value_before(step, var);
  Question question;
  question.id = "gen-" + tracked.var + "-after-" + std::to_string(step + 1);
  question.kind = QuizKind::Value;
  question.text =
      "After " + step_words(step) + " (" + event.msg + "), what is " + tracked.label + "?";
  question.var = tracked.var;
  question.expected = walkthrough.value_after(step, var);
  question.hint = "Before " + step_words(step) + " it was " + in_quotes(before) +
                  ". Does this step's action change it?";
  question.explanation = "After " + step_words(step) + ", " + tracked.label + " is " +
                         in_quotes(question.expected) + "; it was " + in_quotes(before) +
                         " before.";
  question.step = step;
  question.event = walkthrough.steps()[step].event;
  question.when = AskWhen::AfterStep;
  question.generated = true;
  question.choices = value_choices(walkthrough, var, step, kWrongChoices);
  question.right_choice = shuffle_choices(question.choices, 0, seed_from(question.id));
  return question;
}

Question actor_question(const std::vector<trace::Event>& events, const std::vector<Step>& steps,
                        const std::vector<trace::Actor>& actors, std::size_t step) {
  const trace::Event& previous = events[steps[step - 1].event];
  const trace::Event& next = events[steps[step].event];
  Question question;
  question.id = "gen-actor-at-" + std::to_string(step + 1);
  question.kind = QuizKind::Predict;
  question.text = "Step " + std::to_string(step) + " was: " + previous.msg +
                  ". Which actor acts next, at " + step_words(step) + "?";
  question.expected = std::string(trace::name_of(next.actor));
  question.hint = "Step " + std::to_string(step) + " was the " +
                  std::string(trace::name_of(previous.actor)) + "'s (" +
                  std::string(trace::name_of(previous.phase)) +
                  "). Who has to act for the request to move on?";
  question.explanation = "Step " + std::to_string(step + 1) + " is the " +
                         std::string(trace::name_of(next.actor)) + "'s: " + next.msg;
  question.step = step;
  question.event = steps[step].event;
  question.when = AskWhen::BeforeStep;
  question.generated = true;
  question.choices = actor_choices(actors, next.actor, kWrongChoices);
  question.right_choice = shuffle_choices(question.choices, 0, seed_from(question.id));
  return question;
}

}  // namespace

std::vector<Question> generate_questions(const std::vector<scenario::Tracked>& track,
                                         const std::vector<trace::Event>& events, int level,
                                         std::size_t count, std::uint32_t seed) {
  std::vector<Question> questions;
  Walkthrough walkthrough(vars_to_ask(track, events), level);
  walkthrough.update(events);
  const std::vector<Step>& steps = walkthrough.steps();
  if (count == 0 || steps.empty()) return questions;
  std::vector<trace::Actor> actors;
  note_actors(events, 0, actors);

  // A value is worth asking where it changes and has other values to confuse it with; an actor
  // wherever the trace has more than one.
  std::vector<std::pair<std::size_t, std::size_t>> value_candidates;  // step, var
  for (std::size_t s : walkthrough.changing_steps())
    for (std::size_t v = 0; v < walkthrough.variable_count(); ++v)
      if (walkthrough.changed_at(s, v) && value_choices(walkthrough, v, s, 1).size() > 1)
        value_candidates.emplace_back(s, v);
  // Only within one request: when two requests interleave, who comes next is a matter of
  // scheduling, not of how a request travels.
  std::vector<std::size_t> actor_candidates;
  if (actor_choices(actors, events[steps[0].event].actor, 1).size() > 1)
    for (std::size_t s = 1; s < steps.size(); ++s) {
      const int req = events[steps[s].event].req;
      if (req != 0 && events[steps[s - 1].event].req == req) actor_candidates.push_back(s);
    }

  QuizRandom random(seed);
  random.shuffle(value_candidates);
  random.shuffle(actor_candidates);

  // Alternate the two kinds, and ask at most one question around each step.
  std::set<std::size_t> used_steps;
  std::size_t next_value = 0;
  std::size_t next_actor = 0;
  bool value_turn = true;
  while (questions.size() < count &&
         (next_value < value_candidates.size() || next_actor < actor_candidates.size())) {
    const bool take_value = next_actor >= actor_candidates.size() ||
                            (value_turn && next_value < value_candidates.size());
    if (take_value) {
      const auto [step, var] = value_candidates[next_value++];
      if (used_steps.insert(step).second)
        questions.push_back(value_question(walkthrough, events, step, var));
    } else {
      const std::size_t step = actor_candidates[next_actor++];
      if (used_steps.insert(step).second)
        questions.push_back(actor_question(events, steps, actors, step));
    }
    value_turn = !value_turn;
  }
  order_questions(questions);
  return questions;
}

}  // namespace reqtrace::lesson
