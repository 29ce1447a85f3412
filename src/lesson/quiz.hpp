// Quiz questions placed on a trace at a detail level, and graded against what the trace did.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// Invalid first, so an unknown name is caught rather than taken for a kind.
enum class QuizKind { Invalid, Choice, Predict, Value };

std::string_view name_of(QuizKind kind);
QuizKind quiz_kind_from(std::string_view name);

// A predict question is asked before its step is shown; the others after it.
enum class AskWhen { BeforeStep, AfterStep };

struct Choice {
  std::string text;   // what the student reads
  std::string value;  // what it stands for: compared with the trace
};

// A question ready to ask: where it goes at one level, and what the trace says is right.
struct Question {
  std::string id;
  QuizKind kind = QuizKind::Invalid;
  std::string text;
  std::vector<Choice> choices;              // empty: the student types the answer
  std::optional<std::size_t> right_choice;  // set whenever there are choices
  std::string expected;  // the right answer's value (a choice's value, or the text to type)
  std::string var;       // the tracked variable asked about, if any
  std::string hint;
  std::string explanation;
  std::size_t step = 0;   // 0-based, among steps_at_level(events, level)
  std::size_t event = 0;  // the event it is about: the same at every level
  AskWhen when = AskWhen::AfterStep;
  bool generated = false;

  // The right answer as the student would give it: the right choice's text, or the value.
  const std::string& answer_text() const;
};

// An authored quiz that is not asked on this trace at this level, and why, in a sentence.
struct Skipped {
  std::string id;
  std::string reason;
};

struct PlacedQuizzes {
  std::vector<Question> questions;  // in the order they are asked
  std::vector<Skipped> skipped;
};

// The scenario's quizzes on this trace at `level`. A quiz whose anchor did not happen is skipped;
// so is a predict quiz whose step is finer than the level, since that step is never shown.
PlacedQuizzes place_quizzes(const scenario::Scenario& scenario,
                            const std::vector<trace::Event>& events, int level);

// The order questions are asked in: by step, before-questions first, otherwise as given.
void order_questions(std::vector<Question>& questions);

// Case and space tolerant: lower case, runs of white space as one space, none at the ends.
std::string normalize_answer(std::string_view text);
bool same_answer(std::string_view a, std::string_view b);

enum class Verdict { Unreadable, Wrong, Right };

// An answer as typed. With choices: a choice's number from 1, or its text or value; anything
// else cannot be read. Without: any text but a blank one, compared case and space tolerantly.
struct Graded {
  Verdict verdict = Verdict::Unreadable;
  std::optional<std::size_t> choice;  // the choice the answer picked, if it picked one
};
Graded grade(const Question& question, std::string_view answer);

}  // namespace reqtrace::lesson
