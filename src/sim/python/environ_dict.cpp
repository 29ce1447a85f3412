#define PY_SSIZE_T_CLEAN
#include <Python.h>
// Python.h first: it sets feature macros the C library headers read.

#include "sim/python/environ_dict.hpp"

namespace reqtrace::python {

namespace {

void set(PyObject* dict, const char* key, Ref value) {
  if (!value || PyDict_SetItemString(dict, key, value.get()) != 0) throw fetch_error();
}

Ref flag(bool value) {
  return Ref(PyBool_FromLong(value ? 1 : 0));
}

}  // namespace

Ref environ_dict(wsgi::Environ& environ, const std::shared_ptr<AppCall>& call) {
  Ref dict(PyDict_New());
  if (!dict) throw fetch_error();
  for (const auto& [key, value] : environ.vars) {
    set(dict.get(), key.c_str(),
        Ref(PyUnicode_DecodeLatin1(value.data(), static_cast<Py_ssize_t>(value.size()), nullptr)));
  }
  set(dict.get(), "wsgi.version",
      Ref(Py_BuildValue("(ii)", environ.version_major, environ.version_minor)));
  // The server has read the body whole (its limits apply before the app runs), so a BytesIO
  // over it is the stream: read, readline, readlines and iteration, as PEP 3333 asks.
  const std::string body = environ.input.read();
  Ref io(PyImport_ImportModule("io"));
  if (!io) throw fetch_error();
  set(dict.get(), "wsgi.input",
      Ref(PyObject_CallMethod(io.get(), "BytesIO", "y#", body.data(),
                              static_cast<Py_ssize_t>(body.size()))));
  set(dict.get(), "wsgi.errors", make_error_stream(call));
  set(dict.get(), "wsgi.multithread", flag(environ.multithread));
  set(dict.get(), "wsgi.multiprocess", flag(environ.multiprocess));
  set(dict.get(), "wsgi.run_once", flag(environ.run_once));
  return dict;
}

}  // namespace reqtrace::python
