#include "lesson/view/transport.hpp"

#include <cmath>

namespace reqtrace::lesson {

void Transport::move_to(std::size_t step) {
  step_ = count_ == 0 ? 0 : (step < count_ ? step : count_ - 1);
}

void Transport::set_count(std::size_t count) {
  count_ = count;
  if (following_ && count_ > 0)
    step_ = count_ - 1;
  else
    move_to(step_);
}

void Transport::relocate(std::size_t step, std::size_t count) {
  count_ = count;
  move_to(step);
  if (following_ && count_ > 0) step_ = count_ - 1;
}

void Transport::first() {
  following_ = false;
  move_to(0);
}

void Transport::back() {
  following_ = false;
  if (step_ > 0) move_to(step_ - 1);
}

void Transport::next() {
  move_to(step_ + 1);
}

void Transport::last() {
  following_ = true;
  if (count_ > 0) move_to(count_ - 1);
}

void Transport::go_to(std::size_t step) {
  move_to(step);
  if (!at_last()) following_ = false;
}

void Transport::play() {
  if (count_ == 0) return;
  if (at_last()) {
    following_ = false;
    move_to(0);
  }
  playing_ = true;
  carried_ = 0;
}

void Transport::pause() {
  playing_ = false;
  carried_ = 0;
}

void Transport::toggle_play() {
  if (playing_)
    pause();
  else
    play();
}

void Transport::set_speed(double speed) {
  std::size_t nearest = 0;
  for (std::size_t i = 1; i < kSpeeds.size(); ++i)
    if (std::abs(std::log(kSpeeds[i] / speed)) < std::abs(std::log(kSpeeds[nearest] / speed)))
      nearest = i;
  speed_index_ = nearest;
}

void Transport::faster() {
  if (speed_index_ + 1 < kSpeeds.size()) ++speed_index_;
}

void Transport::slower() {
  if (speed_index_ > 0) --speed_index_;
}

void Transport::set_following(bool following) {
  following_ = following;
  if (following_ && count_ > 0) step_ = count_ - 1;
}

bool Transport::tick(double seconds) {
  if (!playing_) return false;
  if (at_last()) {
    pause();
    return false;
  }
  carried_ += seconds * speed() / kSecondsPerStep;
  const std::size_t before = step_;
  while (carried_ >= 1.0 && !at_last()) {
    carried_ -= 1.0;
    ++step_;
  }
  if (at_last()) pause();
  return step_ != before;
}

}  // namespace reqtrace::lesson
