#include "trace/recorder.hpp"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>
#include <iterator>
#include <stdexcept>
#include <string>

namespace reqtrace::trace {

struct Recorder::ThreadBuffer {
  std::thread::id owner;
  bool relayed = false;  // holds other processes' events, in arrival order, not seq order
  std::mutex mutex;
  std::vector<Event> events;
  std::size_t capacity_hint = 64;  // how many the last flush found, so the next buffer is ready
  int tid = 0;
};

namespace {

std::atomic<std::uint64_t> next_recorder_id{1};

// A thread remembers the buffer it last used and for which recorder, so the
// common case finds it without a lock.
struct CachedBuffer {
  std::uint64_t recorder_id = 0;
  void* buffer = nullptr;
};
thread_local CachedBuffer cached_buffer;

// This process's pid, kept by a fork handler rather than asked of the kernel per event: a
// thread's buffer may have been made before a fork, in the parent.
std::atomic<int> process_pid{static_cast<int>(::getpid())};
[[maybe_unused]] const int fork_handler_registered = [] {
  ::pthread_atfork(nullptr, nullptr, [] {
    process_pid.store(static_cast<int>(::getpid()), std::memory_order_relaxed);
  });
  return 0;
}();

int current_pid() {
  return process_pid.load(std::memory_order_relaxed);
}

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "the seq counter is shared between processes, so it must not hide a lock");

// The counter lives in a memfd mapped shared: forked workers share the mapping,
// and an exec'd program can map the same memory again from the inherited fd.
std::shared_ptr<std::atomic<std::uint64_t>> shared_counter(int& fd) {
  fd = ::memfd_create("reqtrace-seq", MFD_CLOEXEC);
  if (fd >= 0 && ::ftruncate(fd, sizeof(std::atomic<std::uint64_t>)) == 0) {
    void* page = ::mmap(nullptr, sizeof(std::atomic<std::uint64_t>), PROT_READ | PROT_WRITE,
                        MAP_SHARED, fd, 0);
    if (page != MAP_FAILED) {
      auto* counter = new (page) std::atomic<std::uint64_t>(0);
      return {counter, [fd](std::atomic<std::uint64_t>* p) {
                ::munmap(p, sizeof *p);
                ::close(fd);
              }};
    }
  }
  if (fd >= 0) ::close(fd);
  fd = -1;
  void* page = ::mmap(nullptr, sizeof(std::atomic<std::uint64_t>), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return std::make_shared<std::atomic<std::uint64_t>>(0);
  auto* counter = new (page) std::atomic<std::uint64_t>(0);
  return {counter, [](std::atomic<std::uint64_t>* p) { ::munmap(p, sizeof *p); }};
}

// The counter an exec'd program shares through the fd its parent passed down.
std::shared_ptr<std::atomic<std::uint64_t>> inherited_counter(int fd) {
  void* page = ::mmap(nullptr, sizeof(std::atomic<std::uint64_t>), PROT_READ | PROT_WRITE,
                      MAP_SHARED, fd, 0);
  if (page == MAP_FAILED)
    throw std::runtime_error("cannot map the trace's seq counter from fd " + std::to_string(fd) +
                             ": " + std::strerror(errno));
  // Not constructed again: the parent's counter is already counting in it.
  auto* counter = static_cast<std::atomic<std::uint64_t>*>(page);
  return {counter, [](std::atomic<std::uint64_t>* p) { ::munmap(p, sizeof *p); }};
}

}  // namespace

Recorder::Recorder()
    : id_(next_recorder_id.fetch_add(1)),
      start_(std::chrono::steady_clock::now()),
      next_seq_(shared_counter(sequence_fd_)) {}

Recorder::Recorder(ContinuingAfterFork, const Recorder& parent)
    : id_(next_recorder_id.fetch_add(1)),
      start_(parent.start_),
      sequence_fd_(parent.sequence_fd_),
      next_seq_(parent.next_seq_) {}

Recorder::Recorder(ContinuingAfterExec origin)
    : id_(next_recorder_id.fetch_add(1)),
      start_(
          std::chrono::steady_clock::time_point(std::chrono::nanoseconds(origin.clock_origin_ns))),
      sequence_fd_(origin.sequence_fd),
      next_seq_(inherited_counter(origin.sequence_fd)) {}

Recorder::~Recorder() {
  stop_background_flush();
  flush();
}

std::int64_t Recorder::clock_origin_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(start_.time_since_epoch()).count();
}

std::int64_t Recorder::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              start_)
      .count();
}

Recorder::ThreadBuffer& Recorder::buffer_for_this_thread() {
  if (cached_buffer.recorder_id == id_) return *static_cast<ThreadBuffer*>(cached_buffer.buffer);
  std::lock_guard lock(buffers_mutex_);
  const auto self = std::this_thread::get_id();
  for (auto& known : buffers_) {
    if (known->owner == self) {
      cached_buffer = {id_, known.get()};
      return *known;
    }
  }
  auto buffer = std::make_unique<ThreadBuffer>();
  buffer->owner = self;
  buffer->tid = static_cast<int>(buffers_.size()) + 1;
  buffers_.push_back(std::move(buffer));
  cached_buffer = {id_, buffers_.back().get()};
  return *buffers_.back();
}

void Recorder::emit(Event event) {
  ThreadBuffer& buffer = buffer_for_this_thread();
  std::lock_guard lock(buffer.mutex);
  event.seq = next_seq_->fetch_add(1, std::memory_order_relaxed);
  event.t_ns = now_ns();
  event.pid = current_pid();
  event.tid = buffer.tid;
  buffer.events.push_back(std::move(event));
}

void Recorder::relay(Event event) {
  ThreadBuffer& buffer = buffer_for_this_thread();
  std::lock_guard lock(buffer.mutex);
  buffer.relayed = true;
  buffer.events.push_back(std::move(event));
}

void Recorder::hand_over_to(Recorder& other) {
  std::vector<Event> held;
  {
    std::lock_guard lock(buffers_mutex_);
    for (auto& buffer : buffers_) {
      std::lock_guard buffer_lock(buffer->mutex);
      std::move(buffer->events.begin(), buffer->events.end(), std::back_inserter(held));
      buffer->events.clear();
    }
  }
  for (Event& event : held) other.relay(std::move(event));
}

void Recorder::add_sink(Sink sink) {
  std::lock_guard lock(flush_mutex_);
  sinks_.push_back(std::move(sink));
}

void Recorder::flush() {
  std::lock_guard flush_lock(flush_mutex_);
  std::vector<std::vector<Event>> taken;
  std::vector<bool> relayed;  // read under the lock: buffers_ may grow once it is released
  {
    std::lock_guard buffers_lock(buffers_mutex_);
    // Fresh buffers are made before any emitter is held up, sized like the last ones.
    taken.resize(buffers_.size());
    for (std::size_t i = 0; i < buffers_.size(); ++i) taken[i].reserve(buffers_[i]->capacity_hint);
    // Holding every buffer's lock at once means no thread is between taking
    // a seq and storing its event: what is taken has no gaps. Only swaps happen
    // under the locks, so emitters wait nanoseconds, not the length of a batch.
    std::vector<std::unique_lock<std::mutex>> locks;
    locks.reserve(buffers_.size());
    for (auto& buffer : buffers_) locks.emplace_back(buffer->mutex);
    for (std::size_t i = 0; i < buffers_.size(); ++i) {
      relayed.push_back(buffers_[i]->relayed);
      buffers_[i]->events.swap(taken[i]);
      buffers_[i]->capacity_hint = std::max<std::size_t>(taken[i].size(), 64);
    }
  }
  // Each buffer is already in seq order: merge them.
  std::vector<Event> batch;
  std::size_t total = 0;
  for (const auto& events : taken) total += events.size();
  if (total == 0) return;
  batch.reserve(total);
  for (std::size_t i = 0; i < taken.size(); ++i) {
    auto& events = taken[i];
    if (relayed[i])
      std::sort(events.begin(), events.end(),
                [](const Event& a, const Event& b) { return a.seq < b.seq; });
    const auto middle = batch.size();
    std::move(events.begin(), events.end(), std::back_inserter(batch));
    std::inplace_merge(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(middle),
                       batch.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
  }
  for (auto& sink : sinks_) sink(batch);
}

void Recorder::start_background_flush(std::chrono::milliseconds interval) {
  stop_background_flush();
  background_stop_ = false;
  std::promise<void> running;
  std::future<void> started = running.get_future();
  background_ = std::thread([this, interval, &running] {
    std::unique_lock lock(background_mutex_);
    running.set_value();
    while (!background_wake_.wait_for(lock, interval, [this] { return background_stop_; })) {
      lock.unlock();
      flush();
      lock.lock();
    }
  });
  // A thread starting up allocates (its stack and TLS) outside any lock hold_flushes() takes;
  // once this returns it only waits or flushes, so a process forked later copies none of that.
  started.wait();
}

void Recorder::stop_background_flush() {
  {
    std::lock_guard lock(background_mutex_);
    background_stop_ = true;
  }
  background_wake_.notify_all();
  if (background_.joinable()) background_.join();
}

}  // namespace reqtrace::trace
