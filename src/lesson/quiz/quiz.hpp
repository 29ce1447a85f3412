// A quiz question ready to ask, and how an answer to it is graded against what the trace did.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

using scenario::QuizKind;

// A predict question is asked before its step is shown; the others after it.
enum class AskWhen { BeforeStep, AfterStep };

struct Choice {
  std::string text;   // what the student reads
  std::string value;  // what it stands for: compared with the trace
  bool operator==(const Choice&) const = default;
};

// A question ready to ask: where it goes at one level, and what the trace says is right.
struct Question {
  std::string id;
  QuizKind kind = QuizKind::Invalid;
  std::string text;
  std::vector<Choice> choices;              // empty: the student types the answer
  std::optional<std::size_t> right_choice;  // set whenever there are choices
  std::string expected;  // the right answer's value (a choice's value, or the text to type)
  std::vector<std::string> accepted;  // other ways to type `expected` that are right too
  std::string var;                    // the tracked variable asked about, if any
  std::string hint;
  std::string explanation;
  std::size_t step = 0;   // 0-based, among the steps at the level it is asked at
  std::size_t event = 0;  // the event it is about: the same at every level
  AskWhen when = AskWhen::AfterStep;
  bool generated = false;

  // The right answer as the student would give it: the right choice's text, or the value.
  const std::string& answer_text() const;
  bool operator==(const Question&) const = default;
};

// The order questions are asked in: by step, before-questions first, otherwise as given.
void order_questions(std::vector<Question>& questions);

// Case, space and punctuation tolerant: lower case, the marks : , ; ! ? ' " ( ) read as spaces,
// runs of white space as one space, none at the ends.
std::string normalize_answer(std::string_view text);
bool same_answer(std::string_view a, std::string_view b);

enum class Verdict { Unreadable, Wrong, Right };

// An answer as typed. With choices: a choice's number from 1, or its text or value; anything
// else cannot be read. Without: any text but a blank one, compared tolerantly (normalize_answer)
// with the expected value and the accepted forms.
struct Graded {
  Verdict verdict = Verdict::Unreadable;
  std::optional<std::size_t> choice;  // the choice the answer picked, if it picked one
};
Graded grade(const Question& question, std::string_view answer);

}  // namespace reqtrace::lesson
