// The embedded CPython, Debian's /usr/bin/python3: started once per process, entered through Gil.
#pragma once

#include <stdexcept>
#include <string>

struct _object;  // CPython's PyObject, kept out of our headers

namespace reqtrace::python {

using PyObject = ::_object;

// Starts the interpreter the first time it is called (later calls do nothing) and releases the
// GIL, so any thread may enter through Gil. The interpreter is Debian's, isolated from the
// environment (PYTHONPATH, PYTHONHOME, the user's site folder), so an app sees the same
// packages whichever Python is first on PATH. It survives fork: a child process forked by any
// server model calls back into it safely (the fork handlers CPython's os.fork runs are run here
// too). Not thread-safe against itself: call it before serving starts.
void start_interpreter();

// Holds the GIL for its lifetime, from any thread, the interpreter started. A thread serving a
// request that had to wait for it says so on its lane (gil_wait.hpp).
class Gil {
 public:
  Gil();
  ~Gil();
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;

 private:
  int state_ = 0;  // PyGILState_STATE
};

// Lets other threads run Python for its lifetime, while this one waits on a socket or a child;
// only inside a Gil. Taking the GIL back is measured as Gil's taking is.
class WithoutGil {
 public:
  WithoutGil();
  ~WithoutGil();
  WithoutGil(const WithoutGil&) = delete;
  WithoutGil& operator=(const WithoutGil&) = delete;

 private:
  void* saved_;  // PyThreadState*
};

// A Python exception carried into C++: what() is the traceback's last line
// ("ZeroDivisionError: division by zero"), traceback() the whole of it.
class PythonError : public std::runtime_error {
 public:
  PythonError(const std::string& line, std::string type, std::string traceback)
      : std::runtime_error(line), type_(std::move(type)), traceback_(std::move(traceback)) {}
  const std::string& type() const { return type_; }
  const std::string& traceback() const { return traceback_; }

 private:
  std::string type_;
  std::string traceback_;
};

// The exception Python has raised, taken out of the interpreter (which is then clear of it).
// Needs the GIL.
PythonError fetch_error();

// A new reference's owner; decrements it when done. Needs the GIL wherever it drops one.
class Ref {
 public:
  Ref() = default;
  explicit Ref(PyObject* owned) : object_(owned) {}
  ~Ref();
  Ref(Ref&& other) noexcept : object_(other.release()) {}
  Ref& operator=(Ref&& other) noexcept;
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;

  PyObject* get() const { return object_; }
  PyObject* release() {
    PyObject* object = object_;
    object_ = nullptr;
    return object;
  }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  PyObject* object_ = nullptr;
};

// A str as UTF-8 (what str() gives for any other object); "" when even that fails.
std::string text_of(PyObject* object);

}  // namespace reqtrace::python
