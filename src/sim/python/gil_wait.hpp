// A thread's wait to take the GIL, measured around the call that takes it and told on its lane.
#pragma once

#include <cstdint>

namespace reqtrace::trace {
class Recorder;
}

namespace reqtrace::wsgi {
class ServingThread;
}

namespace reqtrace::python {

// A shorter wait is no event: a tenth of CPython's switch interval (sys.getswitchinterval(),
// 5 ms by default: DEFAULT_INTERVAL in Python/ceval_gil.h, ceval_gil.c from 3.12). Taking a free
// GIL costs well under a microsecond and a handover to a woken thread tens of microseconds; a
// waiter kept out by a thread running Python waits up to the whole interval before it even asks
// that thread to drop the GIL (take_gil's COND_TIMED_WAIT, then SET_GIL_DROP_REQUEST). So what
// crosses this is a thread kept out by another's Python, and what stays below is noise a student
// need not read.
inline constexpr std::int64_t kGilWaitWorthTellingNs = 500'000;

// Made just before the call that takes the GIL (PyGILState_Ensure, PyEval_RestoreThread);
// `taken()` just after, and `let_go()` once the thread has given it back. It counts the threads
// in Python through these calls (the server's threads; a thread the app starts itself is not
// counted, and a wait behind one is not told), and times a wait only when another thread was in
// Python as this one began and this thread serves a request the trace records
// (wsgi::ServingThread). A wait that reached kGilWaitWorthTellingNs is a gil_wait event on the
// thread's lane at the moment it has the GIL, with the waited time in its data. Alone in Python,
// a thread pays two uncontended atomic increments and no clock read; the C++ app never comes here.
class GilWait {
 public:
  explicit GilWait(const char* taking_with);
  void taken() const;
  static void let_go();
  // In a forked child only the forking thread is left: the count is its own entries.
  static void after_fork_in_child();

 private:
  const wsgi::ServingThread* serving_ = nullptr;  // null when the wait is not timed
  const trace::Recorder* recorder_ = nullptr;
  const char* taking_with_;
  std::int64_t began_ns_ = 0;  // on the recorder's clock
};

}  // namespace reqtrace::python
