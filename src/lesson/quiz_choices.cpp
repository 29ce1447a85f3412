#include "lesson/quiz_choices.hpp"

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
                                  std::size_t wrong) {
  const trace::Event& right = events[steps[step].event];
  std::vector<Choice> choices = {{right.msg, std::string(trace::name_of(right.phase))}};
  // Steps still to come make better wrong answers than ones the student has just seen, so
  // each distance looks ahead before it looks back.
  for (std::size_t distance = 1; distance < steps.size() && choices.size() <= wrong; ++distance) {
    for (std::size_t candidate : {step + distance, step - distance}) {
      if (candidate >= steps.size() || choices.size() > wrong) continue;  // unsigned wrap too
      const trace::Event& event = events[steps[candidate].event];
      const std::string phase(trace::name_of(event.phase));
      if (event.req != right.req || has_value(choices, phase)) continue;
      choices.push_back({event.msg, phase});
    }
  }
  return choices;
}

std::vector<Choice> actor_choices(const std::vector<trace::Event>& events, trace::Actor actor,
                                  std::size_t wrong) {
  std::vector<Choice> choices = {{actor_label(actor), std::string(trace::name_of(actor))}};
  for (const trace::Event& event : events) {
    if (choices.size() > wrong) break;
    const std::string name(trace::name_of(event.actor));
    if (event.actor != trace::Actor::Invalid && !has_value(choices, name))
      choices.push_back({actor_label(event.actor), name});
  }
  return choices;
}

std::vector<Choice> value_choices(const VariableFold& fold, std::size_t var, std::size_t step,
                                  std::size_t wrong) {
  // The values in step order, Start first, so that "nearest" means nearest in the story.
  std::vector<std::string> values = {fold.start(var)};
  for (std::size_t s = 0; s < fold.step_count(); ++s) values.push_back(fold.after(s, var));
  const std::size_t here = step + 1;
  std::vector<Choice> choices = {{values[here], values[here]}};
  for (std::size_t distance = 1; distance < values.size() && choices.size() <= wrong; ++distance) {
    for (std::size_t candidate : {here + distance, here - distance}) {
      if (candidate >= values.size() || choices.size() > wrong) continue;
      if (!has_value(choices, values[candidate]))
        choices.push_back({values[candidate], values[candidate]});
    }
  }
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
