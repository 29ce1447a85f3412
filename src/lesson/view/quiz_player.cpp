#include "lesson/view/quiz_player.hpp"

namespace reqtrace::lesson {

bool QuizPlayer::gate(std::size_t from, Transport& transport, bool stepping) {
  const std::size_t to = transport.step();
  // Jumps (scrubbing, Go to, a click) and a followed live run are not stopped: the class chose
  // where to look.
  if (!stepping || to <= from || transport.following()) return false;
  if (session_.state() == QuizSession::State::Asking) {
    // An open question holds playback at its place until it is answered or given up.
    const Question& open = session_.question(*session_.current());
    transport.pause();
    transport.go_to(open.when == AskWhen::BeforeStep && open.step > 0 ? open.step - 1 : open.step);
    return false;
  }
  for (std::size_t step = from + 1; step <= to; ++step) {
    if (const auto before = session_.due_before(step); !before.empty()) {
      transport.pause();
      transport.go_to(step - 1);
      session_.ask(before.front());
      return true;
    }
    if (const auto after = session_.due_after(step); !after.empty()) {
      transport.pause();
      transport.go_to(step);
      session_.ask(after.front());
      return true;
    }
  }
  return false;
}

void QuizPlayer::carry_over(const QuizPlayer& old) {
  auto questions = session_.questions();
  session_ = old.session_;
  session_.replace_questions(std::move(questions));
  class_mode_ = old.class_mode_;
}

std::string QuizPlayer::score_text() const {
  const Score score = session_.score();
  return std::to_string(score.right) + "/" + std::to_string(score.total);
}

}  // namespace reqtrace::lesson
