// A run's progress on stderr, for lessons that take seconds (a crowd of thirty browsers at a
// dev server is silent for six): the responses so far and the time, on one line.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::app {

// When to show it: on a terminal only (the default; tables on stdout and piped output stay as
// they are), always (--progress), or never.
enum class ShowProgress { OnTerminal, Always, Never };

class RunProgress {
 public:
  // On a terminal the line is redrawn in place, from half a second into the run, and erased
  // at the end; elsewhere a line is printed each second and one at the end.
  RunProgress(const scenario::Scenario& scenario, std::ostream& out, ShowProgress show);

  // A recorder sink: counts the responses the clients have received.
  void watch(const std::vector<trace::Event>& batch);
  void finish();

 private:
  void print(bool last);

  std::ostream& out_;
  std::string name_;
  int expected_ = 0;  // responses the scenario's requests ask for, not counting subresources
  int received_ = 0;
  bool enabled_ = false;
  bool redraw_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point printed_ = started_;
};

}  // namespace reqtrace::app
