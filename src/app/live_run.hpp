// A scenario's real stack run off the UI thread, its events streaming into a session as they
// happen.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "scenario/scenario.hpp"
#include "sim/topology/stack.hpp"
#include "trace/session.hpp"
#include "ui/view.hpp"

namespace reqtrace::app {

class LiveRun {
 public:
  enum class Mode {
    Once,   // bring the stack up, send the scenario's requests, bring it down
    Serve,  // keep it up for outside clients until stop()
  };
  // Called on the run's own thread whenever its state changes.
  using Report = std::function<void(ui::RunStatus)>;

  LiveRun(scenario::Scenario scenario, Mode mode, topology::Listen listen,
          std::shared_ptr<trace::Session> session, Report report);
  ~LiveRun();  // stops and waits: call where waiting is fine, or once done()
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  // Asks the run to end; returns at once.
  void stop();
  bool done() const { return done_; }

 private:
  void run();

  scenario::Scenario scenario_;
  Mode mode_;
  topology::Listen listen_;
  std::shared_ptr<trace::Session> session_;
  Report report_;
  std::mutex mutex_;
  std::condition_variable stop_asked_;
  bool stopping_ = false;
  std::atomic<bool> done_ = false;
  std::thread thread_;
};

}  // namespace reqtrace::app
