#include "lesson/quiz/quiz.hpp"

#include <algorithm>
#include <cctype>

namespace reqtrace::lesson {

const std::string& Question::answer_text() const {
  return right_choice && *right_choice < choices.size() ? choices[*right_choice].text : expected;
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
  constexpr std::string_view kMarks = ":,;!?'\"()";
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || kMarks.find(c) != std::string_view::npos) {
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
  if (question.choices.empty()) {
    const bool right =
        same_answer(said, question.expected) ||
        std::any_of(question.accepted.begin(), question.accepted.end(),
                    [&](const std::string& form) { return same_answer(said, form); });
    return {right ? Verdict::Right : Verdict::Wrong, std::nullopt};
  }

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
