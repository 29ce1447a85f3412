#include "app/run_progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace reqtrace::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kQuietStart = std::chrono::milliseconds(500);  // a quick lesson shows nothing
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
constexpr auto kLineEvery = std::chrono::seconds(1);

}  // namespace

RunProgress::RunProgress(const scenario::Scenario& scenario, std::ostream& out, ShowProgress show)
    : out_(out), name_(scenario.id) {
  for (const auto& request : scenario.requests) expected_ += request.clients;
  const bool terminal = ::isatty(2) == 1;
  enabled_ = show == ShowProgress::Always || (show == ShowProgress::OnTerminal && terminal);
  redraw_ = terminal;
}

void RunProgress::watch(const std::vector<trace::Event>& batch) {
  if (!enabled_) return;
  for (const auto& event : batch)
    if (event.actor == trace::Actor::Client && event.phase == trace::Phase::Receive) ++received_;
  const auto now = Clock::now();
  if (redraw_ ? now - started_ >= kQuietStart && now - printed_ >= kRedrawEvery
              : now - printed_ >= kLineEvery)
    print(false);
}

void RunProgress::finish() {
  if (!enabled_) return;
  if (redraw_) {
    if (drawn_) out_ << "\r\033[K" << std::flush;  // the tables follow on a clean line
    return;
  }
  print(true);
}

void RunProgress::print(bool last) {
  const auto now = Clock::now();
  printed_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  char line[160];
  std::snprintf(line, sizeof line, "%s: %d of %d responses %s %.1f s", name_.c_str(), received_,
                std::max(expected_, received_), last ? "in" : "after", seconds);
  if (redraw_) {
    out_ << "\r" << line << "\033[K" << std::flush;
    drawn_ = true;
  } else {
    out_ << line << "\n" << std::flush;
  }
}

}  // namespace reqtrace::app
