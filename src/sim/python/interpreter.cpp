#define PY_SSIZE_T_CLEAN
#include <Python.h>
// Python.h first: it sets feature macros the C library headers read.

#include "sim/python/interpreter.hpp"

#include "sim/python/gil_wait.hpp"

#include <pthread.h>

#include <cstdlib>

namespace reqtrace::python {

namespace {

// The thread that forks holds the GIL across fork(), as os.fork does (PyOS_BeforeFork and its
// two halves after), so the child never finds the GIL held by a thread it does not have.
PyGILState_STATE forking_state;

void before_fork() {
  forking_state = PyGILState_Ensure();
  PyOS_BeforeFork();
}

void after_fork_in_parent() {
  PyOS_AfterFork_Parent();
  PyGILState_Release(forking_state);
}

void after_fork_in_child() {
  GilWait::after_fork_in_child();
  PyOS_AfterFork_Child();
  PyGILState_Release(forking_state);
}

// Python's own allocator (pymalloc) keeps small objects in arenas it maps itself, which
// LeakSanitizer does not scan, so every block those objects point to would be reported as leaked
// at exit. Under AddressSanitizer the interpreter allocates with malloc, as PYTHONMALLOC=malloc
// does (which isolated mode would not read), and only real leaks are left to report.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUnderAddressSanitizer = true;
#else
constexpr bool kUnderAddressSanitizer = false;
#endif
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

}  // namespace

void start_interpreter() {
  if (Py_IsInitialized()) return;
  if (kUnderAddressSanitizer) {
    PyPreConfig preconfig;
    PyPreConfig_InitIsolatedConfig(&preconfig);
    preconfig.allocator = PYMEM_ALLOCATOR_MALLOC;
    if (const PyStatus status = Py_PreInitialize(&preconfig); PyStatus_Exception(status))
      Py_ExitStatusException(status);
  }
  PyConfig config;
  // Isolated: no PYTHONPATH/PYTHONHOME, no user site, no signal handlers (the server owns
  // SIGINT and SIGTERM). The program name places the interpreter at Debian's prefix, /usr, where
  // its standard library and /usr/lib/python3/dist-packages (Flask, Werkzeug) are.
  PyConfig_InitIsolatedConfig(&config);
  PyStatus status = PyConfig_SetString(&config, &config.program_name, L"/usr/bin/python3");
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) Py_ExitStatusException(status);
  pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
  PyEval_SaveThread();  // the GIL is free until a thread enters through Gil
}

Gil::Gil() {
  const GilWait wait("PyGILState_Ensure");
  state_ = PyGILState_Ensure();
  wait.taken();
}

Gil::~Gil() {
  PyGILState_Release(static_cast<PyGILState_STATE>(state_));
  GilWait::let_go();
}

WithoutGil::WithoutGil() : saved_(PyEval_SaveThread()) {
  GilWait::let_go();
}

WithoutGil::~WithoutGil() {
  const GilWait wait("PyEval_RestoreThread");
  PyEval_RestoreThread(static_cast<PyThreadState*>(saved_));
  wait.taken();
}

Ref::~Ref() {
  Py_XDECREF(object_);
}

Ref& Ref::operator=(Ref&& other) noexcept {
  if (this != &other) {
    Py_XDECREF(object_);
    object_ = other.release();
  }
  return *this;
}

std::string text_of(PyObject* object) {
  if (object == nullptr) return "";
  Ref str(PyObject_Str(object));
  if (!str) {
    PyErr_Clear();
    return "";
  }
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(str.get(), &size);
  if (utf8 == nullptr) {
    PyErr_Clear();
    return "";
  }
  return std::string(utf8, static_cast<std::size_t>(size));
}

PythonError fetch_error() {
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  Ref owned_type(type), owned_value(value), owned_traceback(traceback);
  Ref type_name(type ? PyType_GetName(reinterpret_cast<PyTypeObject*>(type)) : nullptr);
  const std::string name = type_name ? text_of(type_name.get()) : "Exception";
  const std::string message = text_of(value);
  const std::string line = message.empty() ? name : name + ": " + message;
  // The whole traceback, as Python prints it, through the traceback module.
  std::string whole = line;
  if (Ref module{PyImport_ImportModule("traceback")}) {
    Ref lines(PyObject_CallMethod(module.get(), "format_exception", "OOO", type ? type : Py_None,
                                  value ? value : Py_None, traceback ? traceback : Py_None));
    if (lines) {
      Ref empty(PyUnicode_FromString(""));
      whole = text_of(Ref(PyUnicode_Join(empty.get(), lines.get())).get());
    }
  }
  PyErr_Clear();
  return PythonError(line, name, whole);
}

}  // namespace reqtrace::python
