// Work other threads hand to the frame loop (ImHex's task queue): it runs between frames, on the UI
// thread.
#pragma once

#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace reqtrace::app {

class UiTasks {
 public:
  // `wake` is called after each post, from the posting thread, to end the frame loop's wait.
  explicit UiTasks(std::function<void()> wake = {}) : wake_(std::move(wake)) {}

  // From any thread.
  void post(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    if (wake_) wake_();
  }

  // On the UI thread, once per frame.
  void run_pending() {
    std::vector<std::function<void()>> tasks;
    {
      std::lock_guard lock(mutex_);
      tasks.swap(tasks_);
    }
    for (auto& task : tasks) task();
  }

 private:
  std::function<void()> wake_;
  std::mutex mutex_;
  std::vector<std::function<void()>> tasks_;
};

}  // namespace reqtrace::app
