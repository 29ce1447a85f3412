#include "lesson/quiz.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "lesson/anchor.hpp"
#include "lesson/quiz_choices.hpp"
#include "lesson/steps.hpp"
#include "lesson/variable_fold.hpp"

namespace reqtrace::lesson {
namespace {

constexpr std::array<std::string_view, 4> kKindNames = {"invalid", "choice", "predict", "value"};
constexpr std::size_t kMadeWrongChoices = 3;  // four choices in all, like a paper quiz

std::optional<std::size_t> tracked_index(const std::vector<scenario::Tracked>& track,
                                         std::string_view var) {
  for (std::size_t i = 0; i < track.size(); ++i)
    if (track[i].var == var) return i;
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

// "{step}" is the quiz's own step and "{step:PHASE}" the step of that phase of the quiz's request,
// both numbered at the level being shown, so that text can name steps and survive a level change.
std::string fill_steps(const std::string& text, const std::vector<trace::Event>& events,
                       const std::vector<Step>& steps, const scenario::Anchor& at,
                       std::size_t own_step) {
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
      if (auto found = find_anchor(events, {inside.substr(5), at.req}))
        step = step_covering(steps, *found);
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
  return "\"" + at.phase + "\" of request " + std::to_string(at.req);
}

}  // namespace

std::string_view name_of(QuizKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

QuizKind quiz_kind_from(std::string_view name) {
  for (std::size_t i = 1; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<QuizKind>(i);
  return QuizKind::Invalid;
}

const std::string& Question::answer_text() const {
  return right_choice && *right_choice < choices.size() ? choices[*right_choice].text : expected;
}

PlacedQuizzes place_quizzes(const scenario::Scenario& scenario,
                            const std::vector<trace::Event>& events, int level) {
  PlacedQuizzes placed;
  const std::vector<Step> steps = steps_at_level(events, level);
  const VariableFold fold(scenario.track, events, steps);
  for (const scenario::Quiz& quiz : scenario.quizzes) {
    const QuizKind kind = quiz_kind_from(quiz.kind);
    const auto at = find_anchor(events, quiz.at);
    if (!at || steps.empty()) {
      placed.skipped.push_back(
          {quiz.id, "its anchor, " + anchor_words(quiz.at) + ", did not happen in this trace"});
      continue;
    }
    const trace::Event& event = events[*at];
    if (kind == QuizKind::Predict && event.level > level) {
      placed.skipped.push_back({quiz.id, "it predicts a step of level " +
                                             std::to_string(event.level) + " (" +
                                             anchor_words(quiz.at) + "), which level " +
                                             std::to_string(level) + " does not show"});
      continue;
    }
    const auto var = tracked_index(scenario.track, quiz.var);
    const bool needs_var =
        kind == QuizKind::Value || (kind == QuizKind::Predict && quiz.about == "var");
    if ((needs_var || !quiz.var.empty()) && !var) {
      placed.skipped.push_back({quiz.id, "its var \"" + quiz.var + "\" is not tracked"});
      continue;
    }

    Question question;
    question.id = quiz.id;
    question.kind = kind;
    question.text = quiz.question;
    question.var = quiz.var;
    question.hint = quiz.hint;
    question.explanation = quiz.explanation;
    question.event = *at;
    question.step = step_covering(steps, *at);
    question.when = kind == QuizKind::Predict ? AskWhen::BeforeStep : AskWhen::AfterStep;
    question.choices = authored_choices(quiz);
    const auto fill = [&](const std::string& text) {
      return fill_steps(text, events, steps, quiz.at, question.step);
    };
    question.text = fill(question.text);
    question.hint = fill(question.hint);
    question.explanation = fill(question.explanation);
    for (Choice& choice : question.choices) choice.text = fill(choice.text);

    if (kind == QuizKind::Choice) {
      const bool indexed = quiz.answer.is_number_integer() && quiz.answer.get<long long>() >= 0 &&
                           quiz.answer.get<std::size_t>() < question.choices.size();
      if (!indexed) {
        placed.skipped.push_back({quiz.id, "its answer is not the index of one of its choices"});
        continue;
      }
      question.right_choice = quiz.answer.get<std::size_t>();
      question.expected = question.choices[*question.right_choice].value;
    } else if (kind == QuizKind::Value) {
      // Graded against the variable tracker at this level: the fold after the step.
      question.expected = fold.after(question.step, *var);
      if (!question.choices.empty())
        choose_by_trace(question, question.expected, question.expected);
    } else if (kind == QuizKind::Predict) {
      std::string truth;
      std::string truth_text;
      std::vector<Choice> made;
      if (quiz.about == "actor") {
        truth = std::string(trace::name_of(event.actor));
        truth_text = actor_label(event.actor);
        made = actor_choices(events, event.actor, kMadeWrongChoices);
      } else if (quiz.about == "var") {
        truth = truth_text = fold.after(question.step, *var);
        made = value_choices(fold, *var, question.step, kMadeWrongChoices);
      } else {
        truth = std::string(trace::name_of(event.phase));
        truth_text = event.msg;
        made = phase_choices(events, steps, question.step, kMadeWrongChoices);
      }
      question.expected = truth;
      if (!question.choices.empty()) {
        choose_by_trace(question, truth, truth_text);
      } else if (made.size() >= 2) {
        question.right_choice = shuffle_choices(made, 0, seed_from(quiz.id));
        question.choices = std::move(made);
      }
      // With fewer than two outcomes to choose from, the student types the answer.
    } else {
      placed.skipped.push_back({quiz.id, "its kind \"" + quiz.kind + "\" is unknown"});
      continue;
    }
    placed.questions.push_back(std::move(question));
  }
  order_questions(placed.questions);
  return placed;
}

void order_questions(std::vector<Question>& questions) {
  std::stable_sort(questions.begin(), questions.end(), [](const Question& a, const Question& b) {
    if (a.step != b.step) return a.step < b.step;
    return a.when == AskWhen::BeforeStep && b.when == AskWhen::AfterStep;
  });
}

std::string normalize_answer(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool same_answer(std::string_view a, std::string_view b) {
  return normalize_answer(a) == normalize_answer(b);
}

Graded grade(const Question& question, std::string_view answer) {
  const std::string said = normalize_answer(answer);
  if (said.empty()) return {};
  if (question.choices.empty())
    return {same_answer(said, question.expected) ? Verdict::Right : Verdict::Wrong, std::nullopt};

  std::optional<std::size_t> picked;
  if (said.size() <= 6 && std::all_of(said.begin(), said.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    const std::size_t number = std::stoul(said);
    if (number >= 1 && number <= question.choices.size()) picked = number - 1;
  } else {
    for (std::size_t i = 0; i < question.choices.size() && !picked; ++i)
      if (same_answer(question.choices[i].text, said) ||
          same_answer(question.choices[i].value, said))
        picked = i;
  }
  if (!picked) return {};
  return {picked == question.right_choice ? Verdict::Right : Verdict::Wrong, picked};
}

}  // namespace reqtrace::lesson
