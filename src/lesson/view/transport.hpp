// Where the class is in the lesson: the current step, play and pause, speed, following a live run.
#pragma once

#include <array>
#include <cstddef>

namespace reqtrace::lesson {

// The transport bar's state machine, without a window. Steps are 0-based here;
// the window shows "Step k of n" with k = step() + 1.
class Transport {
 public:
  static constexpr std::array<double, 5> kSpeeds = {0.25, 0.5, 1.0, 2.0, 4.0};
  static constexpr double kSecondsPerStep = 1.0;  // at 1×: time to read a row aloud

  std::size_t step() const { return step_; }
  std::size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  bool at_first() const { return step_ == 0; }
  bool at_last() const { return count_ == 0 || step_ + 1 == count_; }
  bool playing() const { return playing_; }
  double speed() const { return kSpeeds[speed_index_]; }
  // Follow live: the cursor stays on the newest step as a run adds steps.
  bool following() const { return following_; }

  // The number of steps changed because events arrived. A follower moves to the newest.
  void set_count(std::size_t count);
  // The level changed: the same moment is step `step` of `count` now.
  void relocate(std::size_t step, std::size_t count);

  // Going back, or anywhere but the newest step, stops following.
  void first();
  void back();
  void next();
  void last();  // follows again: the newest step is where a live run is
  void go_to(std::size_t step);

  void play();  // from the first step again when at the last
  void pause();
  void toggle_play();
  void set_speed(double speed);  // the nearest of kSpeeds
  void faster();
  void slower();
  void set_following(bool following);

  // Advances playback by `seconds` of wall time; true when the step moved.
  // Playback stops at the last step.
  bool tick(double seconds);

 private:
  void move_to(std::size_t step);

  std::size_t step_ = 0;
  std::size_t count_ = 0;
  bool playing_ = false;
  std::size_t speed_index_ = 2;
  bool following_ = false;
  double carried_ = 0;  // seconds of play not yet worth a whole step
};

}  // namespace reqtrace::lesson
