#include "sim/python/gil_wait.hpp"

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/wsgi/serving_thread.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::python {

namespace {

std::atomic<int> entries_in_process{0};  // Gil scopes open in every thread (not WithoutGil's)
thread_local int entries_in_thread = 0;

// "5.12 ms": what a student reads in the message; the data keeps the nanoseconds.
std::string milliseconds(std::int64_t ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f ms", static_cast<double>(ns) / 1e6);
  return text;
}

}  // namespace

GilWait::GilWait(const char* taking_with) : taking_with_(taking_with) {
  const int mine_before = entries_in_thread++;
  const bool others_in_python = entries_in_process.fetch_add(1) > mine_before;
  if (!others_in_python) return;
  const wsgi::ServingThread* serving = wsgi::ServingThread::current();
  if (serving == nullptr || !serving->voice().enabled()) return;
  serving_ = serving;
  recorder_ = serving->voice().recorder();
  began_ns_ = recorder_->now_ns();
}

void GilWait::let_go() {
  --entries_in_thread;
  entries_in_process.fetch_sub(1);
}

void GilWait::after_fork_in_child() {
  entries_in_process.store(entries_in_thread);
}

void GilWait::taken() const {
  if (serving_ == nullptr) return;
  const std::int64_t waited_ns = recorder_->now_ns() - began_ns_;
  if (waited_ns < kGilWaitWorthTellingNs) return;
  const trace::Emitter& server = serving_->voice();
  const trace::Emitter thread(server.recorder(), trace::Actor::Worker, server.lane());
  thread(trace::Phase::GilWait, serving_->req(), trace::kServerInternals,
         "This thread waited " + milliseconds(waited_ns) +
             " for the GIL while another thread of the process ran Python; it has it now (" +
             taking_with_ + " returned)",
         {},
         {{"waited_ns", waited_ns},
          {"waited_ms", static_cast<double>(waited_ns) / 1e6},
          {"wait_began_t_ns", began_ns_},
          {"taking_with", taking_with_},
          {"threshold_ns", kGilWaitWorthTellingNs}});
}

}  // namespace reqtrace::python
