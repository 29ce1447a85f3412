#define PY_SSIZE_T_CLEAN
#include <Python.h>
// Python.h first: it sets feature macros the C library headers read.

#include "sim/python/app_call.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "sim/wsgi/start_response.hpp"

namespace reqtrace::python {

namespace {

using CallHandle = std::shared_ptr<AppCall>;

AppCall& call_of(PyObject* capsule) {
  return **static_cast<CallHandle*>(PyCapsule_GetPointer(capsule, "reqtrace.AppCall"));
}

Ref capsule_for(const CallHandle& call) {
  return Ref(PyCapsule_New(new CallHandle(call), "reqtrace.AppCall", [](PyObject* capsule) {
    delete static_cast<CallHandle*>(PyCapsule_GetPointer(capsule, "reqtrace.AppCall"));
  }));
}

// Where the app called us from: "app.py:12" (the innermost Python frame, which is the caller, as
// a C function has no frame of its own), or "" outside any.
std::string caller_place() {
  PyFrameObject* frame = PyEval_GetFrame();  // borrowed
  if (frame == nullptr) return "";
  PyCodeObject* code = PyFrame_GetCode(frame);
  Ref file(PyObject_GetAttrString(reinterpret_cast<PyObject*>(code), "co_filename"));
  Py_DECREF(code);
  if (!file) {
    PyErr_Clear();
    return "";
  }
  std::string name = text_of(file.get());
  name = name.substr(name.find_last_of('/') + 1);
  return name + ":" + std::to_string(PyFrame_GetLineNumber(frame));
}

// Raises `type` with "start_response() at app.py:12: <what>", so the message the server logs
// says where the app broke the contract, and how.
PyObject* refuse(PyObject* type, std::string what) {
  constexpr std::string_view kName = "start_response() ";
  if (what.rfind(kName, 0) == 0) what.erase(0, kName.size());  // the server's own wording
  const std::string place = caller_place();
  const std::string message =
      "start_response()" + (place.empty() ? "" : " at " + place) + ": " + what;
  PyErr_SetString(type, message.c_str());
  return nullptr;
}

// A native string whose characters are all latin-1, as PEP 3333 requires of status and header
// names and values; its bytes. nullopt with a Python exception set otherwise.
std::optional<std::string> latin1(PyObject* value, const std::string& what) {
  if (!PyUnicode_Check(value)) {
    refuse(PyExc_TypeError, what + " must be a str, not " + Py_TYPE(value)->tp_name +
                                " (PEP 3333: status and headers are native strings)");
    return std::nullopt;
  }
  Ref bytes(PyUnicode_AsLatin1String(value));
  if (!bytes) {
    PyErr_Clear();
    refuse(PyExc_ValueError, what + " " + text_of(Ref(PyObject_Repr(value)).get()) +
                                 " is not latin-1 (PEP 3333: ISO-8859-1 characters only)");
    return std::nullopt;
  }
  return std::string(PyBytes_AS_STRING(bytes.get()),
                     static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.get())));
}

PyObject* write(PyObject* capsule, PyObject* data) {
  if (!PyBytes_Check(data)) {
    return PyErr_Format(PyExc_TypeError,
                        "write() takes bytes, not %s (PEP 3333: the body is bytes)",
                        Py_TYPE(data)->tp_name);
  }
  call_of(capsule).written.emplace_back(PyBytes_AS_STRING(data),
                                        static_cast<std::size_t>(PyBytes_GET_SIZE(data)));
  Py_RETURN_NONE;
}

PyMethodDef write_method = {"write", write, METH_O,
                            "write(data): the imperative body API of PEP 3333"};

PyObject* start_response(PyObject* capsule, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {"status", "response_headers", "exc_info", nullptr};
  PyObject *status = nullptr, *headers = nullptr, *exc_info = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O:start_response",
                                   const_cast<char**>(keywords), &status, &headers, &exc_info))
    return nullptr;
  AppCall& call = call_of(capsule);
  if (call.start_response == nullptr)
    return refuse(PyExc_RuntimeError, "called after the response was closed");
  const auto status_text = latin1(status, "the status");
  if (!status_text) return nullptr;
  if (!PyList_CheckExact(headers)) {
    return refuse(PyExc_TypeError,
                  std::string("response_headers must be a list, not ") + Py_TYPE(headers)->tp_name +
                      " (PEP 3333: \"response_headers is a list of (header_name, header_value) "
                      "tuples\")");
  }
  wsgi::Headers parsed;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(headers); ++i) {
    PyObject* item = PyList_GET_ITEM(headers, i);
    const std::string which = "response_headers[" + std::to_string(i) + "]";
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
      return refuse(PyExc_TypeError,
                    which + " must be a (name, value) tuple, not " +
                        text_of(Ref(PyObject_Repr(item)).get()) +
                        " (PEP 3333: \"a list of (header_name, header_value) tuples\")");
    }
    auto name = latin1(PyTuple_GET_ITEM(item, 0), which + "'s name");
    if (!name) return nullptr;
    auto value = latin1(PyTuple_GET_ITEM(item, 1), which + "'s value");
    if (!value) return nullptr;
    parsed.emplace_back(std::move(*name), std::move(*value));
  }
  const bool replacing = exc_info != Py_None;
  try {
    (*call.start_response)(*status_text, parsed, replacing);
  } catch (const wsgi::StartResponseError& broken) {
    if (replacing && PyTuple_Check(exc_info) && PyTuple_GET_SIZE(exc_info) == 3) {
      // PEP 3333: with the headers already sent, start_response "should re-raise using the
      // exc_info tuple", so the app's own error reaches the server.
      PyObject* value = PyTuple_GET_ITEM(exc_info, 1);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(value)), value);
      return nullptr;
    }
    // AssertionError, as gunicorn's and wsgiref's start_response raise for a broken contract.
    return refuse(PyExc_AssertionError, broken.what());
  }
  return PyCFunction_NewEx(&write_method, capsule, nullptr);
}

PyMethodDef start_response_method = {
    "start_response", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(start_response)),
    METH_VARARGS | METH_KEYWORDS,
    "start_response(status, response_headers, exc_info=None) -> write, as PEP 3333 says"};

// wsgi.errors: Flask's logger writes a view's traceback here (flask/logging.py's
// default_handler is a StreamHandler on wsgi_errors_stream, which is request.environ["wsgi.errors"]
// while a request is being handled).
PyObject* write_error(PyObject* capsule, PyObject* text) {
  if (!PyUnicode_Check(text)) {
    return PyErr_Format(PyExc_TypeError, "wsgi.errors.write() takes a str, not %s",
                        Py_TYPE(text)->tp_name);
  }
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(text, &size);
  if (utf8 == nullptr) return nullptr;
  AppCall& call = call_of(capsule);
  call.errors.write(std::string_view(utf8, static_cast<std::size_t>(size)), call.voice, call.req);
  Py_RETURN_NONE;
}

PyObject* write_error_lines(PyObject* capsule, PyObject* lines) {
  Ref iterator(PyObject_GetIter(lines));
  if (!iterator) return nullptr;
  while (Ref line{PyIter_Next(iterator.get())}) {
    if (Ref done{write_error(capsule, line.get())}; !done) return nullptr;
  }
  if (PyErr_Occurred()) return nullptr;
  Py_RETURN_NONE;
}

PyObject* flush_errors(PyObject* capsule, PyObject* /*unused*/) {
  AppCall& call = call_of(capsule);
  call.errors.flush(call.voice, call.req);
  Py_RETURN_NONE;
}

PyMethodDef error_stream_methods[] = {
    {"write", write_error, METH_O, "write(str)"},
    {"writelines", write_error_lines, METH_O, "writelines(iterable of str)"},
    {"flush", flush_errors, METH_NOARGS, "flush()"},
};

}  // namespace

Ref make_error_stream(const std::shared_ptr<AppCall>& call) {
  // Any object with write, writelines and flush is a stream to PEP 3333; a namespace of three
  // bound functions is the smallest such object.
  Ref capsule = capsule_for(call);
  Ref types(PyImport_ImportModule("types"));
  if (!types) throw fetch_error();
  Ref stream(PyObject_CallMethod(types.get(), "SimpleNamespace", nullptr));
  if (!stream) throw fetch_error();
  for (PyMethodDef& method : error_stream_methods) {
    Ref bound(PyCFunction_NewEx(&method, capsule.get(), nullptr));
    if (!bound || PyObject_SetAttrString(stream.get(), method.ml_name, bound.get()) != 0)
      throw fetch_error();
  }
  return stream;
}

Ref make_start_response(const std::shared_ptr<AppCall>& call) {
  Ref capsule = capsule_for(call);
  Ref callable(PyCFunction_NewEx(&start_response_method, capsule.get(), nullptr));
  if (!callable) throw fetch_error();
  return callable;
}

}  // namespace reqtrace::python
