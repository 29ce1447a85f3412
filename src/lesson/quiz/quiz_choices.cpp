#include "lesson/quiz/quiz_choices.hpp"

#include <algorithm>

namespace reqtrace::lesson {
namespace {

bool has_value(const std::vector<Choice>& choices, std::string_view value) {
  return std::any_of(choices.begin(), choices.end(),
                     [&](const Choice& choice) { return same_answer(choice.value, value); });
}

}  // namespace

std::uint32_t seed_from(std::string_view text) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : text) hash = (hash ^ c) * 16777619u;
  return hash;
}

std::string actor_label(trace::Actor actor) {
  switch (actor) {
    case trace::Actor::Client:
      return "client (the browser)";
    case trace::Actor::Proxy:
      return "proxy (the nginx-like front)";
    case trace::Actor::Server:
      return "server (the WSGI server)";
    case trace::Actor::Worker:
      return "worker (a server process or thread)";
    case trace::Actor::App:
      return "app (the Flask app)";
    case trace::Actor::Invalid:
      break;
  }
  return "invalid";
}

std::vector<Choice> phase_choices(const std::vector<trace::Event>& events,
                                  const std::vector<Step>& steps, std::size_t step,
                                  std::size_t wrong, std::size_t* reach) {
  const trace::Event& right = events[steps[step].event];
  std::vector<Choice> choices = {{right.msg, std::string(trace::name_of(right.phase))}};
  // Steps still to come make better wrong answers than ones the student has just seen, so
  // each distance looks ahead before it looks back.
  std::size_t furthest = step;
  for (std::size_t distance = 1; distance < steps.size() && choices.size() <= wrong; ++distance) {
    furthest = step + distance;  // looked at, or wanted: a step to come would be taken first
    for (std::size_t candidate : {step + distance, step - distance}) {
      if (candidate >= steps.size() || choices.size() > wrong) continue;  // unsigned wrap too
      const trace::Event& event = events[steps[candidate].event];
      const std::string phase(trace::name_of(event.phase));
      if (event.req != right.req || has_value(choices, phase)) continue;
      choices.push_back({event.msg, phase});
    }
  }
  if (reach) *reach = furthest;
  return choices;
}

std::vector<Choice> actor_choices(const std::vector<trace::Actor>& actors, trace::Actor actor,
                                  std::size_t wrong) {
  std::vector<Choice> choices = {{actor_label(actor), std::string(trace::name_of(actor))}};
  for (trace::Actor other : actors) {
    if (choices.size() > wrong) break;
    const std::string name(trace::name_of(other));
    if (!has_value(choices, name)) choices.push_back({actor_label(other), name});
  }
  return choices;
}

void note_actors(const std::vector<trace::Event>& events, std::size_t from,
                 std::vector<trace::Actor>& actors) {
  for (std::size_t i = from; i < events.size(); ++i)
    if (events[i].actor != trace::Actor::Invalid &&
        std::find(actors.begin(), actors.end(), events[i].actor) == actors.end())
      actors.push_back(events[i].actor);
}

std::vector<Choice> value_choices(const Walkthrough& walkthrough, std::size_t var, std::size_t step,
                                  std::size_t wrong, std::size_t* reach) {
  // The values in step order, Start first, so that "nearest" means nearest in the story. Only
  // a step where the variable changed brings a value its neighbour did not have: ahead, the
  // value after such a step; behind, the value before it.
  const std::string& right = walkthrough.value_after(step, var);
  std::vector<Choice> choices = {{right, right}};
  std::optional<std::size_t> ahead = walkthrough.next_change(var, step);
  std::optional<std::size_t> behind =
      walkthrough.changed_at(step, var) ? step : walkthrough.previous_change(var, step);
  std::size_t furthest = step;
  while (choices.size() <= wrong && choices.size() < walkthrough.value_count(var) &&
         (ahead || behind)) {
    // Distances from the step's own value; ahead first when they are as near.
    const bool take_ahead = ahead && (!behind || *ahead - step <= step + 1 - *behind);
    const std::string& value =
        take_ahead ? walkthrough.value_after(*ahead, var) : walkthrough.value_before(*behind, var);
    if (!has_value(choices, value)) choices.push_back({value, value});
    // A change still to come as near as the one taken would have been taken instead.
    furthest = std::max(furthest, take_ahead ? *ahead : step + (step + 1 - *behind));
    if (take_ahead)
      ahead = walkthrough.next_change(var, *ahead);
    else
      behind = walkthrough.previous_change(var, *behind);
  }
  if (reach) *reach = std::max(furthest, ahead.value_or(0));
  return choices;
}

std::size_t shuffle_choices(std::vector<Choice>& choices, std::size_t right, std::uint32_t seed) {
  std::vector<std::size_t> order(choices.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  QuizRandom(seed).shuffle(order);
  std::vector<Choice> shuffled;
  std::size_t moved_to = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == right) moved_to = i;
    shuffled.push_back(std::move(choices[order[i]]));
  }
  choices = std::move(shuffled);
  return moved_to;
}

}  // namespace reqtrace::lesson
