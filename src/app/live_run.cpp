#include "app/live_run.hpp"

#include "sim/topology/send_requests.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::app {

LiveRun::LiveRun(scenario::Scenario scenario, Mode mode, topology::Listen listen,
                 std::shared_ptr<trace::Session> session, Report report)
    : scenario_(std::move(scenario)),
      mode_(mode),
      listen_(std::move(listen)),
      session_(std::move(session)),
      report_(std::move(report)),
      thread_([this] { run(); }) {}

LiveRun::~LiveRun() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void LiveRun::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_asked_.notify_all();
}

void LiveRun::run() {
  using State = ui::RunStatus::State;
  trace::Recorder recorder;
  recorder.add_sink(trace::Session::sink_for(session_));
  // Events reach the window within a frame or two of happening.
  recorder.start_background_flush(std::chrono::milliseconds(15));
  std::string error;
  auto stack = topology::Stack::start(scenario_, &recorder, listen_, error);
  if (!stack) {
    recorder.stop_background_flush();
    recorder.flush();
    report_({State::Failed, "cannot start " + scenario_.id + ": " + error});
    done_ = true;
    return;
  }
  const std::string address = "http://" + stack->front_door().to_string() + "/";
  if (mode_ == Mode::Once) {
    report_({State::Running, "Running " + scenario_.id + " on " + address, address});
    const auto exchanges = topology::send_requests(scenario_, stack->front_door(), &recorder);
    stack->stop();
    recorder.stop_background_flush();
    recorder.flush();
    std::string failures;
    for (const auto& exchange : exchanges)
      if (!exchange.response.ok)
        failures += (failures.empty() ? "" : "; ") + std::string("request ") +
                    std::to_string(exchange.req) + " (" + exchange.request.method + " " +
                    exchange.request.path + ") got no response: " + exchange.response.error;
    if (failures.empty())
      report_({State::Finished, "Run finished: " + std::to_string(exchanges.size()) +
                                    (exchanges.size() == 1 ? " request" : " requests") +
                                    " answered"});
    else
      report_({State::Failed, "The run failed: " + failures});
  } else {
    report_({State::Serving,
             "Serving " + scenario_.id + " on " + address + ": point curl or a browser at it",
             address});
    std::unique_lock lock(mutex_);
    stop_asked_.wait(lock, [this] { return stopping_; });
    lock.unlock();
    stack->stop();
    recorder.stop_background_flush();
    recorder.flush();
    report_({State::Finished, "Stopped serving " + scenario_.id});
  }
  done_ = true;
}

}  // namespace reqtrace::app
