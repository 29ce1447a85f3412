// The lesson around a run: what to track, what to say, what to ask, what to remember. All optional.
//
// "track": an array of the variables shown beside the steps:
//   "var"    required; lowercase identifiers joined by dots, at least two ("server.state"),
//            each var tracked once.
//   "label"  a string, default the var itself.
//   "start"  a string: the value before anything has happened, default "—".
//
// "narration": an object: phase name -> what to say when a request reaches that phase: a text, or
// an object choosing by who acts and how the request ends:
//   an actor name ("server")   a text, or an object of texts by status class, as below.
//   "1xx" .. "5xx"             the text when the app's status for the request is of that class.
//   "other"                    the text when nothing above matches.
//
// An anchor ("at") says where a quiz or key moment sits: a phase of a request, not a step number,
// so it survives a change of detail level:
//   "phase"  required; a phase name (the trace vocabulary, trace/event.hpp).
//   "req"    the request's number, from 1 to the number of requests; default 1.
//
// "quizzes": an array of quizzes:
//   "id"           required; a non-empty string, unique among the quizzes.
//   "kind"         required; "choice" (asked after the step), "predict" (asked before it: what
//                  happens next?) or "value" (type the value of a tracked variable).
//   "at"           required; an anchor.
//   "question"     required; a string.
//   "choices"      an array of at least 2; for choice required. Strings, except that a predict
//                  quiz's may also be {"text": shown, "value": what it stands for in the trace};
//                  a string stands for itself. Predict values are phase names (about phase),
//                  actor names (about actor) or values of the var (about var), each different.
//   "answer"       for choice required: the index of the right choice, from 0. For value
//                  required: a string. For predict optional, and only with choices: the index
//                  the author expects; the trace decides what is right (docs/scenario-format.md).
//   "about"        predict only: what is predicted of the step: "phase", "actor" or "var";
//                  default "var" when "var" is given, else "phase".
//   "var"          a tracked var; for value, and predict about var, required: the one asked about.
//   "accept"       value only: an array of other ways to type the author's answer ("308" for
//                  "308 PERMANENT REDIRECT"), right whenever the trace agrees with the answer.
//   "hint"         a string.
//   "explanation"  a string.
// In question, choices, hint and explanation, "{step}" is replaced by the quiz's step number and
// "{step:PHASE}" by the step of that phase of the quiz's request, both at the level shown.
//
// "key_moments": an array of {"at": an anchor (required), "title": a string (required),
// "text": a string}.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "scenario/checker.hpp"
#include "scenario/names.hpp"
#include "scenario/sections.hpp"
#include "trace/event.hpp"

namespace reqtrace::scenario {
namespace {

using nlohmann::json;

// Indexed by QuizKind and PredictAbout; keep in the enums' order. "invalid" is what an unknown
// name maps to, not a name a file may use.
constexpr std::array<std::string_view, 4> kQuizKindNames = {"invalid", "choice", "predict",
                                                            "value"};
constexpr std::array<std::string_view, 4> kPredictAboutNames = {"invalid", "phase", "actor", "var"};

static_assert(static_cast<std::size_t>(QuizKind::Value) + 1 == kQuizKindNames.size());
static_assert(static_cast<std::size_t>(PredictAbout::Var) + 1 == kPredictAboutNames.size());

template <typename Enum, std::size_t N>
Enum enum_from(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 1; i < names.size(); ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return Enum::Invalid;
}

std::string phase_list() {
  std::string list;
  for (std::string_view phase : trace::all_phase_names())
    list += (list.empty() ? "" : ", ") + std::string(phase);
  return list;
}

std::string unknown_phase(const std::string& name) {
  return "unknown phase " + in_quotes(name) + "; expected one of: " + phase_list();
}

std::string expect_phase(const std::string& name) {
  return trace::phase_from(name) != trace::Phase::Invalid ? "" : unknown_phase(name);
}

// Whether an integer numbers one of `count` requests, from 1.
bool is_request_number(const json& number, std::size_t count) {
  if (number.is_number_unsigned()) {
    auto n = number.get<std::uint64_t>();
    return n >= 1 && n <= count;
  }
  auto n = number.get<std::int64_t>();
  return n >= 1 && static_cast<std::uint64_t>(n) <= count;
}

Anchor read_anchor(Checker& checker, const json& value, const std::string& pointer,
                   const LessonContext& context) {
  Anchor anchor;
  Fields fields(checker, value, pointer, {"phase", "req"});
  std::string phase;
  if (fields.read("phase", Need::Required, phase, expect_phase))
    anchor.phase = trace::phase_from(phase);
  if (const json* req = fields.get("req")) {
    std::string at = fields.pointer("req");
    std::size_t count = context.request_count.value_or(0);
    if (count == 0 || !req->is_number_integer()) {
      // With no readable requests there is no upper bound to check; that problem is reported there.
      fields.read("req", Need::Optional, anchor.req, 1, std::numeric_limits<int>::max());
    } else if (is_request_number(*req, count)) {
      anchor.req = req->get<int>();
    } else {
      checker.report(at, "expected a request number from 1 to " + std::to_string(count) +
                             " (the scenario sends " + std::to_string(count) +
                             (count == 1 ? " request" : " requests") + "), got " +
                             describe_value(*req));
    }
  }
  return anchor;
}

// Builds the check that a name is one of the tracked vars.
StringRule expect_tracked(const LessonContext& context) {
  return [&context](const std::string& var) -> std::string {
    const auto& tracked = context.tracked;
    if (std::find(tracked.begin(), tracked.end(), var) != tracked.end()) return "";
    if (tracked.empty()) return in_quotes(var) + " is not tracked; \"track\" lists no vars";
    return in_quotes(var) + " is not tracked; expected one of: " + comma_list(tracked);
  };
}

// A quiz's texts may name steps as "{step}" (its own) and "{step:PHASE}" (that phase of its
// request), numbered when the quiz is asked at a level; the phase must be a phase.
std::string expect_step_refs(const std::string& text) {
  for (std::size_t pos = text.find("{step:"); pos != std::string::npos;
       pos = text.find("{step:", pos + 1)) {
    const std::size_t close = text.find('}', pos);
    if (close == std::string::npos) break;
    const std::string phase = text.substr(pos + 6, close - pos - 6);
    if (trace::phase_from(phase) == trace::Phase::Invalid)
      return in_quotes("{step:" + phase + "}") + " names an " + unknown_phase(phase);
  }
  return "";
}

// A predict quiz's choices: strings, or {"text", "value"} objects whose value is what the choice
// stands for in the trace (a phase, an actor or a var's value, by "about").
bool read_predict_choices(Checker& checker, const json& value, const std::string& pointer,
                          PredictAbout about, Quiz& quiz) {
  if (!checker.array(value, pointer)) return false;
  bool ok = true;
  std::map<std::string, std::string> seen;  // value -> the choice that has it first
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = element_pointer(pointer, i);
    std::string text;
    std::string means;
    std::string means_at = at;
    if (value[i].is_object()) {
      Fields fields(checker, value[i], at, {"text", "value"});
      ok = fields.read("text", Need::Required, text, expect_step_refs) && ok;
      if (!fields.read("value", Need::Optional, means)) means = text;
      if (fields.get("value")) means_at = fields.pointer("value");
    } else if (auto said = checker.string(value[i], at, expect_step_refs)) {
      text = means = *said;
    } else {
      ok = false;
      continue;
    }
    std::string problem;
    if (about == PredictAbout::Phase && trace::phase_from(means) == trace::Phase::Invalid)
      problem = unknown_phase(means);
    else if (about == PredictAbout::Actor && trace::actor_from(means) == trace::Actor::Invalid)
      problem = "unknown actor " + in_quotes(means) +
                "; expected one of: client, proxy, server, worker, app";
    if (!problem.empty()) {
      checker.report(means_at, problem);
      ok = false;
    } else if (auto [first, added] = seen.emplace(means, at); !added) {
      checker.report(means_at, "choice " + first->second + " already stands for " +
                                   in_quotes(means) + "; each choice must be a different outcome");
      ok = false;
    }
    quiz.choices.push_back(std::move(text));
    quiz.choice_values.push_back(std::move(means));
  }
  return ok;
}

Quiz read_quiz(Checker& checker, const json& value, const std::string& pointer,
               const LessonContext& context) {
  Quiz quiz;
  Fields fields(checker, value, pointer,
                {"id", "kind", "at", "question", "choices", "answer", "accept", "about", "var",
                 "hint", "explanation"});
  fields.read("id", Need::Required, quiz.id, [](const std::string& id) {
    return id.empty() ? std::string("expected a quiz id, got \"\"") : "";
  });
  std::string kind;
  const bool kind_ok = fields.read("kind", Need::Required, kind, [](const std::string& name) {
    if (quiz_kind_from(name) != QuizKind::Invalid) return std::string();
    return "expected one of choice, predict, value, got " + in_quotes(name);
  });
  if (kind_ok) quiz.kind = quiz_kind_from(kind);
  if (const json* at = fields.get("at", Need::Required))
    quiz.at = read_anchor(checker, *at, fields.pointer("at"), context);
  fields.read("question", Need::Required, quiz.question, expect_step_refs);
  fields.read("hint", Need::Optional, quiz.hint, expect_step_refs);
  fields.read("explanation", Need::Optional, quiz.explanation, expect_step_refs);

  const bool choice = quiz.kind == QuizKind::Choice;
  const bool typed = quiz.kind == QuizKind::Value;
  const bool predict = quiz.kind == QuizKind::Predict;

  // What a predict quiz asks of its step; a var given without "about" means the var's value.
  if (fields.get("about") && kind_ok && !predict)
    checker.report(fields.pointer("about"),
                   "\"about\" is only for predict quizzes; this one is " + in_quotes(kind));
  std::string about;
  if (predict && fields.read("about", Need::Optional, about, [](const std::string& name) {
        if (predict_about_from(name) != PredictAbout::Invalid) return std::string();
        return "expected one of phase, actor, var, got " + in_quotes(name);
      }))
    quiz.about = predict_about_from(about);
  else if (predict && fields.get("var"))
    quiz.about = PredictAbout::Var;
  const bool about_var = predict && quiz.about == PredictAbout::Var;

  bool choices_ok = false;
  if (predict) {
    if (const json* choices = fields.get("choices"))
      choices_ok =
          read_predict_choices(checker, *choices, fields.pointer("choices"), quiz.about, quiz);
  } else {
    choices_ok = fields.read("choices", choice ? Need::Required : Need::Optional, quiz.choices,
                             expect_step_refs);
    quiz.choice_values = quiz.choices;
  }
  if (choices_ok && quiz.choices.size() < 2)
    checker.report(fields.pointer("choices"),
                   "expected at least 2 choices, got " + std::to_string(quiz.choices.size()));
  fields.read("var", typed || about_var ? Need::Required : Need::Optional, quiz.var,
              expect_tracked(context));

  // Other forms of a typed answer: "308" for "308 PERMANENT REDIRECT".
  if (fields.get("accept") && kind_ok && !typed)
    checker.report(fields.pointer("accept"),
                   "\"accept\" is only for value quizzes; this one is " + in_quotes(kind));
  else if (typed)
    fields.read("accept", Need::Optional, quiz.accept, [](const std::string& form) {
      return form.find_first_not_of(" \t") == std::string::npos
                 ? std::string("expected a way to type the answer, got a blank")
                 : std::string();
    });

  // The answer's type follows the kind, so it is only checked once the kind is known.
  Need answer_need = choice || typed ? Need::Required : Need::Optional;
  const json* answer = kind_ok ? fields.get("answer", answer_need) : fields.get("answer");
  const bool indexed = choice || predict;
  if (answer && predict && !fields.get("choices")) {
    checker.report(fields.pointer("answer"),
                   "expected no answer: a predict quiz without choices gets them from the trace, "
                   "and the trace says which is right");
  } else if (answer && indexed && choices_ok && quiz.choices.size() >= 2) {
    if (checker.integer(*answer, fields.pointer("answer"), 0,
                        static_cast<std::int64_t>(quiz.choices.size()) - 1))
      quiz.answer = *answer;
  } else if (answer && typed) {
    if (checker.string(*answer, fields.pointer("answer"))) quiz.answer = *answer;
  } else if (answer && !indexed) {
    quiz.answer = *answer;
  }
  return quiz;
}

// Like the format's own keys: "_" and "$" start comments, not names.
bool is_comment_key(const std::string& key) {
  return !key.empty() && (key.front() == '_' || key.front() == '$');
}

bool is_status_class(const std::string& key) {
  return key.size() == 3 && key[0] >= '1' && key[0] <= '5' && key[1] == 'x' && key[2] == 'x';
}

// One entry of a narration object that is not an actor's: a status class or "other", whose text
// goes into `words`. False, reported, when it is neither or not a text; `expected` says what is.
bool read_status_entry(Checker& checker, const std::string& key, const json& value,
                       const std::string& at, const std::string& expected, NarrationText& words) {
  if (key != "other" && !is_status_class(key)) {
    checker.report_key(at, "expected " + expected + ", got " + in_quotes(key));
    return false;
  }
  auto said = checker.string(value, at);
  if (said) (key == "other" ? words.text : words.by_status[key]) = std::move(*said);
  return said.has_value();
}

bool says_nothing(const NarrationText& words) {
  return words.text.empty() && words.by_status.empty();
}

// Either form a narration value takes: a text, which goes into `text`; or an object, each of whose
// entries (comments aside) `entry` reads. False, reported, for anything else, for a bad entry, and
// for an object that says nothing (`empty()` once read). `expected` names the keys it takes.
template <typename Entry, typename Empty>
bool read_text_or_entries(Checker& checker, const json& value, const std::string& pointer,
                          const std::string& expected, std::string& text, const Entry& entry,
                          const Empty& empty) {
  if (value.is_string()) {
    text = value.get<std::string>();
    return true;
  }
  if (!value.is_object()) {
    checker.report(pointer, "expected a text, or an object whose keys are " + expected + ", got " +
                                describe_value(value));
    return false;
  }
  bool ok = true;
  for (const auto& [key, said] : value.items())
    if (!is_comment_key(key)) ok = entry(key, said, member_pointer(pointer, key)) && ok;
  if (ok && empty()) {
    checker.report(pointer, "expected at least one text, keyed by " + expected);
    return false;
  }
  return ok;
}

// A phase's words for one actor: a text, or an object of texts by status class, "other" for the
// rest.
std::optional<NarrationText> read_narration_text(Checker& checker, const json& value,
                                                 const std::string& pointer) {
  static const std::string kExpected = "a status class (1xx to 5xx) or \"other\"";
  NarrationText words;
  const bool ok = read_text_or_entries(
      checker, value, pointer, kExpected, words.text,
      [&](const std::string& key, const json& said, const std::string& at) {
        return read_status_entry(checker, key, said, at, kExpected, words);
      },
      [&] { return says_nothing(words); });
  return ok ? std::optional<NarrationText>(std::move(words)) : std::nullopt;
}

// A phase's narration: a text, or an object choosing by the event's actor, then by status class.
std::optional<Narration> read_phase_narration(Checker& checker, const json& value,
                                              const std::string& pointer) {
  static const std::string kExpected =
      "an actor (client, proxy, server, worker, app), a status class (1xx to 5xx) or \"other\"";
  Narration narration;
  const bool ok = read_text_or_entries(
      checker, value, pointer, kExpected, narration.any.text,
      [&](const std::string& key, const json& said, const std::string& at) {
        const trace::Actor actor = trace::actor_from(key);
        if (actor == trace::Actor::Invalid)
          return read_status_entry(checker, key, said, at, kExpected, narration.any);
        auto words = read_narration_text(checker, said, at);
        if (words) narration.by_actor[actor] = std::move(*words);
        return words.has_value();
      },
      [&] { return narration.by_actor.empty() && says_nothing(narration.any); });
  return ok ? std::optional<Narration>(std::move(narration)) : std::nullopt;
}

}  // namespace

std::string_view name_of(QuizKind kind) {
  return kQuizKindNames[static_cast<std::size_t>(kind)];
}

QuizKind quiz_kind_from(std::string_view name) {
  return enum_from<QuizKind>(kQuizKindNames, name);
}

std::string_view name_of(PredictAbout about) {
  return kPredictAboutNames[static_cast<std::size_t>(about)];
}

PredictAbout predict_about_from(std::string_view name) {
  return enum_from<PredictAbout>(kPredictAboutNames, name);
}

std::vector<Tracked> read_track(Checker& checker, const json& value, const std::string& pointer) {
  std::vector<Tracked> track;
  if (!checker.array(value, pointer)) return track;
  std::map<std::string, std::string> seen;  // var -> where it is tracked first
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string at = element_pointer(pointer, i);
    Tracked tracked;
    tracked.start = "—";
    Fields fields(checker, value[i], at, {"var", "label", "start"});
    bool var_ok = fields.read("var", Need::Required, tracked.var, [](const std::string& var) {
      if (is_dotted_name(var)) return std::string();
      return "expected lowercase names joined by dots, like \"server.state\", got " +
             in_quotes(var);
    });
    if (!fields.read("label", Need::Optional, tracked.label)) tracked.label = tracked.var;
    fields.read("start", Need::Optional, tracked.start);
    if (var_ok) {
      auto [first, added] = seen.emplace(tracked.var, at);
      if (!added)
        checker.report(fields.pointer("var"), "duplicate var " + in_quotes(tracked.var) + "; " +
                                                  first->second + " already tracks it");
    }
    track.push_back(std::move(tracked));
  }
  return track;
}

std::map<std::string, Narration> read_narration(Checker& checker, const json& value,
                                                const std::string& pointer) {
  std::map<std::string, Narration> narration;
  if (!checker.object(value, pointer)) return narration;
  for (const auto& [phase, said] : value.items()) {
    if (is_comment_key(phase)) continue;
    std::string at = member_pointer(pointer, phase);
    if (trace::phase_from(phase) == trace::Phase::Invalid)
      checker.report_key(at, unknown_phase(phase));
    if (auto read = read_phase_narration(checker, said, at)) narration[phase] = std::move(*read);
  }
  return narration;
}

std::vector<Quiz> read_quizzes(Checker& checker, const json& value, const std::string& pointer,
                               const LessonContext& context) {
  std::vector<Quiz> quizzes;
  if (!checker.array(value, pointer)) return quizzes;
  std::map<std::string, std::string> ids;  // id -> the quiz that has it first
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string at = element_pointer(pointer, i);
    Quiz quiz = read_quiz(checker, value[i], at, context);
    if (!quiz.id.empty()) {
      auto [first, added] = ids.emplace(quiz.id, at);
      if (!added)
        checker.report(member_pointer(at, "id"), "duplicate quiz id " + in_quotes(quiz.id) + "; " +
                                                     first->second + " has it");
    }
    quizzes.push_back(std::move(quiz));
  }
  return quizzes;
}

std::vector<KeyMoment> read_key_moments(Checker& checker, const json& value,
                                        const std::string& pointer, const LessonContext& context) {
  std::vector<KeyMoment> moments;
  if (!checker.array(value, pointer)) return moments;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string at = element_pointer(pointer, i);
    KeyMoment moment;
    Fields fields(checker, value[i], at, {"at", "title", "text"});
    if (const json* anchor = fields.get("at", Need::Required))
      moment.at = read_anchor(checker, *anchor, fields.pointer("at"), context);
    fields.read("title", Need::Required, moment.title);
    fields.read("text", Need::Optional, moment.text);
    moments.push_back(std::move(moment));
  }
  return moments;
}

}  // namespace reqtrace::scenario
