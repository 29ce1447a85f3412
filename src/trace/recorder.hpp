// The thread-safe event recorder every instrumented part of the stack writes to.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "trace/event.hpp"

namespace reqtrace::trace {

// Recording an event costs no syscall and takes only the calling thread's own
// buffer lock, which nobody else wants except a flush every few milliseconds.
// A flush takes every buffer at once, so the events it hands the sinks are
// exactly those with seq below a bound: sinks see a gap-free, ordered stream.
class Recorder {
 public:
  using Sink = std::function<void(const std::vector<Event>&)>;

  Recorder();
  // For a worker process forked from the one that owns `parent`: the same clock
  // and the same sequence (the counter lives in memory the fork shares), so its
  // events interleave with everyone else's in one global order.
  struct ContinuingAfterFork {};
  Recorder(ContinuingAfterFork, const Recorder& parent);
  // For a program exec'd from the process that owns a recorder (a CGI program):
  // exec keeps no memory, only inherited fds and the environment, so the parent
  // hands over its clock origin and the fd of the memfd its seq counter lives
  // in; mapping that fd shares the very counter. Throws std::runtime_error when
  // the fd cannot be mapped.
  struct ContinuingAfterExec {
    std::int64_t clock_origin_ns = 0;  // see clock_origin_ns()
    int sequence_fd = -1;              // see sequence_fd()
  };
  explicit Recorder(ContinuingAfterExec origin);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Stamps seq, t_ns, pid and tid, and keeps the event until the next flush.
  void emit(Event event);

  // Sinks receive every flushed batch, in seq order, on the flushing thread.
  // Events relayed from other processes may arrive after later seqs were
  // flushed: a batch is ordered, but only a whole trace is gap-free then.
  void add_sink(Sink sink);

  // Keeps an event already stamped elsewhere (a worker process), as it is.
  void relay(Event event);

  // Hands everything emitted so far to the sinks. Safe from any thread.
  void flush();

  // Moves every event held, unflushed, to `other` (as relayed events, stamps kept): what a
  // recorder meant for forked children heard in the process that will fork them belongs to
  // that process's trace, not to each child's copy.
  void hand_over_to(Recorder& other);

  // Flushes every `interval` on a background thread until stopped or destroyed.
  void start_background_flush(std::chrono::milliseconds interval);
  void stop_background_flush();

  // Holds off every flush while the returned lock is held. A process forked meanwhile copies
  // no flush in the middle of its work: a lock the allocator or a sink held at that instant
  // would stay held in the new process forever.
  std::unique_lock<std::mutex> hold_flushes() { return std::unique_lock(flush_mutex_); }

  std::uint64_t emitted() const { return next_seq_->load(std::memory_order_relaxed); }

  // Nanoseconds since this recorder began, on the clock events are stamped with.
  std::int64_t now_ns() const;

  // What a program exec'd from this process needs to continue this trace: when
  // it began on the steady clock (CLOCK_MONOTONIC, one clock for every process
  // of the machine), and the memfd holding the seq counter (-1 if there is none;
  // close-on-exec, so the parent chooses which child inherits it).
  std::int64_t clock_origin_ns() const;
  int sequence_fd() const { return sequence_fd_; }

 private:
  struct ThreadBuffer;
  ThreadBuffer& buffer_for_this_thread();

  const std::uint64_t id_;  // tells a thread's cached buffer apart from another recorder's
  const std::chrono::steady_clock::time_point start_;
  int sequence_fd_ = -1;  // the memfd next_seq_ is mapped from; before it: its constructor sets it
  // In a shared mapping, so forked workers and exec'd programs draw from the same counter.
  std::shared_ptr<std::atomic<std::uint64_t>> next_seq_;

  std::mutex buffers_mutex_;  // taken once per thread, when it first emits
  std::vector<std::unique_ptr<ThreadBuffer>> buffers_;

  std::mutex flush_mutex_;  // one flush at a time, so sinks see batches in order
  std::vector<Sink> sinks_;

  std::mutex background_mutex_;
  std::condition_variable background_wake_;
  bool background_stop_ = false;
  std::thread background_;
};

}  // namespace reqtrace::trace
