// The viewer's quiz: the session on the questions placed at the viewer's level, and when
// playback must stop for it. No window: the quiz pane only draws it.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "lesson/quiz/quiz_session.hpp"
#include "lesson/view/transport.hpp"

namespace reqtrace::lesson {

class QuizPlayer {
 public:
  // The questions as placed again (the trace grew, the level changed); results carry over by
  // question id (QuizSession::replace_questions).
  void set_questions(std::vector<Question> questions) {
    session_.replace_questions(std::move(questions));
  }

  // The cursor moved from `from` to where `transport` is now. A forward move by playback or
  // Next stops at the first question due on the way: a predict question before its step is
  // shown (the cursor stays a step short), the others once their step is shown. An open
  // question holds the cursor at its place. True when a question was asked.
  bool gate(std::size_t from, Transport& transport, bool stepping);

  QuizSession& session() { return session_; }
  const QuizSession& session() const { return session_; }

  // Class mode: the teacher enters the room's answer; a choice is picked first, then checked.
  bool class_mode() const { return class_mode_; }
  void set_class_mode(bool on) { class_mode_ = on; }

  // A reloaded lesson: the results and the open question of `old`, on this player's questions.
  void carry_over(const QuizPlayer& old);

  // "right/total", for the pane's corner.
  std::string score_text() const;

 private:
  QuizSession session_;
  bool class_mode_ = false;
};

}  // namespace reqtrace::lesson
