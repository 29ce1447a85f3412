// reqtrace quiz SCENARIO|TRACE: walks the steps and asks each quiz at its point, reading the
// answers from stdin, typed or piped.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "app/command_line.hpp"
#include "app/command_table.hpp"
#include "app/data_dirs.hpp"
#include "app/recording.hpp"
#include "app/text_report.hpp"
#include "app/text_table.hpp"
#include "lesson/narration.hpp"
#include "lesson/quiz/generated_questions.hpp"
#include "lesson/quiz/quiz.hpp"
#include "lesson/quiz/quiz_placement.hpp"
#include "lesson/quiz/quiz_results.hpp"
#include "lesson/quiz/quiz_session.hpp"
#include "lesson/walkthrough.hpp"
#include "trace/trace_writer.hpp"

namespace reqtrace::app {
namespace {

constexpr int kGeneratedWhenNoQuiz = 3;  // a lesson with no quiz of its own still gets some
constexpr int kMaxGenerated = 50;
constexpr const char* kKeys = "h for a hint, skip to see the answer";

struct QuizOptions {
  std::string source;
  int level = 1;
  std::optional<int> generated;
  std::uint32_t seed = 0;
  std::optional<std::filesystem::path> results;
};

// Where the answers come from. Piped answers are echoed after the prompt, so that what is
// printed reads like the conversation it was.
class Answers {
 public:
  Answers(std::istream& in, std::ostream& out) : in_(in), out_(out), echo_(!::isatty(0)) {}
  std::optional<std::string> next() {
    out_ << "  > " << std::flush;
    std::string line;
    if (!std::getline(in_, line)) {
      out_ << "\n";
      return std::nullopt;
    }
    if (echo_) out_ << line << "\n";
    return line;
  }

 private:
  std::istream& in_;
  std::ostream& out_;
  bool echo_;
};

void print_question(std::ostream& out, const lesson::Question& question, std::size_t number,
                    std::size_t total) {
  out << "  ? Question " << number << " of " << total << " (" << scenario::name_of(question.kind);
  if (question.when == lesson::AskWhen::BeforeStep)
    out << ", before step " << question.step + 1 << " is shown";
  out << ")\n    " << question.text << "\n";
  for (std::size_t c = 0; c < question.choices.size(); ++c)
    out << "      " << c + 1 << ") " << question.choices[c].text << "\n";
  if (question.choices.empty())
    out << "    Type the value (" << kKeys << ").\n";
  else
    out << "    Answer with a number (" << kKeys << ").\n";
}

// The question's explanation, and the step it is about: `action`, that step's message.
void print_explanation(std::ostream& out, const lesson::Question& question,
                       const std::string& action) {
  if (!question.explanation.empty()) out << "    " << question.explanation << "\n";
  out << "    (This is about step " << question.step + 1 << ": " << action << ")\n";
}

// Asks one question until it is answered right or given up; false when the input ended first.
bool ask(std::ostream& out, Answers& answers, lesson::QuizSession& session, std::size_t index,
         std::size_t number, const lesson::Walkthrough& walkthrough,
         const std::vector<trace::Event>& events) {
  const lesson::Question& question = session.question(index);
  const std::string& action = events[walkthrough.steps()[question.step].event].msg;
  session.ask(index);
  print_question(out, question, number, session.size());
  while (session.state() == lesson::QuizSession::State::Asking) {
    const auto line = answers.next();
    if (!line) return false;
    const std::string said = lesson::normalize_answer(*line);
    if (said == "h" || said == "hint") {
      const std::string hint = session.hint();
      out << "    " << (hint.empty() ? "No hint for this one." : "Hint: " + hint) << "\n";
      continue;
    }
    if (said == "skip") {
      session.give_up();
      out << "    The answer: " << question.answer_text() << "\n";
      print_explanation(out, question, action);
      break;
    }
    switch (session.check(*line)) {
      case lesson::Verdict::Unreadable:
        if (question.choices.empty())
          out << "    Please type a value (" << kKeys << ").\n";
        else
          out << "    Please answer with a number from 1 to " << question.choices.size()
              << ", or a choice's text (" << kKeys << ").\n";
        break;
      case lesson::Verdict::Wrong:
        out << "    Not quite. Try again (" << kKeys << ").\n";
        break;
      case lesson::Verdict::Right:
        out << "    Right!";
        if (!question.choices.empty()) out << " " << question.answer_text();
        out << "\n";
        print_explanation(out, question, action);
        break;
    }
  }
  session.close();
  out << "\n";
  return true;
}

void print_score(std::ostream& out, const lesson::QuizSession& session) {
  const lesson::Score score = session.score();
  // Wrong: answered, never right (even if given up after); skipped: no answer at all.
  int wrong = 0;
  for (std::size_t i = 0; i < session.size(); ++i)
    wrong += !session.result(i).correct && session.result(i).attempts > 0;
  out << "Score: " << score.right << " of " << score.total << " right";
  if (score.right > 0) out << " (" << score.first_try << " at the first try with no hint)";
  out << ", " << wrong << " wrong, " << score.total - score.right - wrong << " skipped\n";
  for (std::size_t i = 0; i < session.size(); ++i) {
    const lesson::Question& question = session.question(i);
    const lesson::QuestionResult& result = session.result(i);
    const char* mark = result.correct ? "✓" : result.done() || result.attempts ? "✗" : "·";
    out << "  " << mark << " " << question.id << " (step " << question.step + 1 << "): ";
    const std::string attempts =
        std::to_string(result.attempts) + (result.attempts == 1 ? " attempt" : " attempts");
    if (result.correct)
      out << attempts;
    else if (result.gave_up)
      out << "given up" << (result.attempts ? " after " + attempts : std::string());
    else if (result.attempts)
      out << "not right after " << attempts;
    else
      out << "not answered";
    if (result.hints_used) out << ", with the hint";
    out << "\n";
  }
}

std::optional<QuizOptions> read_options(const Args& args) {
  std::string error;
  auto options = parse_options(args, options_of("quiz"), error);
  if (!options || options->positional.size() != 1) {
    std::cerr << "reqtrace quiz: "
              << (options ? "expected one scenario (a file or a name such as hello-wsgi) or "
                            "one trace file"
                          : error)
              << "\n";
    return std::nullopt;
  }
  QuizOptions quiz;
  quiz.source = options->positional[0];
  quiz.level = level_option(options->value("--level"), error);
  if (quiz.level == 0) {
    std::cerr << "reqtrace quiz: " << error << "\n";
    return std::nullopt;
  }
  if (auto text = options->value("--generated")) {
    quiz.generated = parse_int("--generated", *text, 0, kMaxGenerated, error);
    if (!quiz.generated) {
      std::cerr << "reqtrace quiz: " << error << "\n";
      return std::nullopt;
    }
  }
  if (auto text = options->value("--seed")) {
    auto seed = parse_int("--seed", *text, 0, std::numeric_limits<int>::max(), error);
    if (!seed) {
      std::cerr << "reqtrace quiz: " << error << "\n";
      return std::nullopt;
    }
    quiz.seed = static_cast<std::uint32_t>(*seed);
  } else {
    quiz.seed = std::random_device()() & 0x7fffffffu;  // printed with the results, to ask again
  }
  if (auto path = options->value("--results")) {
    // Checked now: finding out after the last answer that the results cannot be saved is too late.
    const std::filesystem::path results(*path);
    const auto folder = results.has_parent_path() ? results.parent_path() : ".";
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
      std::cerr << "reqtrace quiz: --results " << *path << ": the folder " << folder.string()
                << " does not exist\n";
      return std::nullopt;
    }
    if (std::filesystem::is_directory(results, ec)) {
      std::cerr << "reqtrace quiz: --results " << *path << " is a folder; expected a file name\n";
      return std::nullopt;
    }
    quiz.results = results;
  }
  return quiz;
}

}  // namespace

int quiz_command(const Args& args) {
  const auto options = read_options(args);
  if (!options) return kBadInput;
  const std::string started_at = trace::utc_timestamp();

  // A trace brings its scenario along, so it needs no scenario file and no server.
  RunOutcome outcome = read_or_run(options->source, std::cerr);
  if (!outcome.recording || outcome.exit_code != kOk) return outcome.exit_code;
  std::optional<Recording> recording = std::move(outcome.recording);
  lesson::ResultsContext context;
  const bool from_trace = is_trace_argument(options->source);
  context.trace_kind = from_trace ? "file" : "run";
  context.trace_path = from_trace ? options->source : resolve_scenario(options->source).string();
  const scenario::Scenario& scenario = recording->scenario;
  const std::vector<trace::Event>& events = recording->events;
  const int level = options->level;
  context.scenario_id = scenario.id;
  context.started_at = started_at;
  context.level = level;

  const lesson::Walkthrough walkthrough(scenario.track, level, events);
  lesson::PlacedQuizzes placed = lesson::place_quizzes(scenario, events, walkthrough);
  for (const auto& skipped : placed.skipped)
    std::cerr << "reqtrace quiz: note: quiz \"" << skipped.id
              << "\" is not asked: " << skipped.reason << "\n";
  int generated = options->generated.value_or(0);
  if (!options->generated && placed.questions.empty()) {
    generated = kGeneratedWhenNoQuiz;
    std::cerr << "reqtrace quiz: note: no quiz of " << scenario.id << " is asked at level " << level
              << "; asking " << generated << " questions made from the trace\n";
  }
  std::vector<lesson::Question> questions = std::move(placed.questions);
  if (generated > 0) {
    context.seed = options->seed;
    auto made = lesson::generate_questions(scenario.track, events, level,
                                           static_cast<std::size_t>(generated), options->seed);
    questions.insert(questions.end(), std::make_move_iterator(made.begin()),
                     std::make_move_iterator(made.end()));
    lesson::order_questions(questions);
  }
  lesson::QuizSession session(std::move(questions));

  std::ostream& out = std::cout;
  out << scenario.title << "\n" << std::string(display_width(scenario.title), '=') << "\n";
  if (!scenario.summary.empty()) out << scenario.summary << "\n";
  out << "\nQuiz: " << session.size() << (session.size() == 1 ? " question" : " questions")
      << " at level " << level << ". Answer with a choice's number or type the value; " << kKeys
      << ".\n\n";

  lesson::Narrator narrator(&scenario);
  narrator.update(events);

  Answers answers(std::cin, out);
  std::size_t asked = 0;
  bool input_ended = false;
  for (std::size_t s = 0; s < walkthrough.step_count() && !input_ended; ++s) {
    for (std::size_t index : session.due_before(s))
      if (!input_ended)
        input_ended = !ask(out, answers, session, index, ++asked, walkthrough, events);
    if (input_ended) break;
    print_step_head(out, walkthrough, events, s);
    for (std::size_t index : session.due_after(s))
      if (!input_ended)
        input_ended = !ask(out, answers, session, index, ++asked, walkthrough, events);
    print_step_story(out, walkthrough, narrator.at(events, walkthrough.steps(), s), s);
  }
  if (input_ended) {
    const lesson::Score score = session.score();
    out << "The input ended: " << score.total - score.answered << " of " << score.total
        << " questions not answered.\n\n";
  } else if (!scenario.snapshot.empty()) {
    out << "Concept snapshot\n\n";
    for (const auto& line : scenario.snapshot) out << "  • " << line << "\n";
    out << "\n";
  }
  print_score(out, session);

  if (options->results) {
    std::string error;
    const std::string text = lesson::results_json(session, context).dump(2) + "\n";
    if (!lesson::write_file_atomically(*options->results, text, error)) {
      std::cerr << "reqtrace quiz: " << error << "\n";
      return kRunFailed;
    }
    out << "Results saved to " << options->results->string() << "\n";
  }
  return kOk;
}

}  // namespace reqtrace::app
