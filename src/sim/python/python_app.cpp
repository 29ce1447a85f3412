#define PY_SSIZE_T_CLEAN
#include <Python.h>
// Python.h first: it sets feature macros the C library headers read.

#include "sim/python/python_app.hpp"

#include "sim/python/app_call.hpp"
#include "sim/python/environ_dict.hpp"

#include <functional>
#include <nlohmann/json.hpp>

namespace reqtrace::python {

namespace {

// Runs the module's source as `import` would, under its file's stem, without letting a
// same-named module elsewhere on sys.path (or in the standard library) win.
constexpr const char* kImportByFile = R"(
def import_by_file(path, name):
    import importlib.util, os, sys
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
)";

// Where in the app's own file an import failed: "shop.py:12: " or "".
std::string place_in(const std::string& file, PyObject* traceback) {
  std::string place;
  for (auto* frame = reinterpret_cast<PyTracebackObject*>(traceback); frame != nullptr;
       frame = frame->tb_next) {
    PyCodeObject* code = PyFrame_GetCode(frame->tb_frame);
    if (text_of(code->co_filename) == file)
      place = file + ":" + std::to_string(frame->tb_lineno) + ": ";
    Py_DECREF(code);
  }
  return place;
}

// The import's failure as one line: a SyntaxError by its own file and line, anything else by the
// deepest line of the app's file the traceback passes through.
std::string import_failure(const std::string& file) {
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  Ref owned_type(type), owned_value(value), owned_traceback(traceback);
  if (value != nullptr && PyErr_GivenExceptionMatches(value, PyExc_SyntaxError)) {
    Ref where(PyObject_GetAttrString(value, "filename"));
    Ref line(PyObject_GetAttrString(value, "lineno"));
    Ref message(PyObject_GetAttrString(value, "msg"));
    PyErr_Clear();
    Ref type_name(PyType_GetName(reinterpret_cast<PyTypeObject*>(type)));
    return text_of(where.get()) + ":" + text_of(line.get()) + ": " + text_of(type_name.get()) +
           ": " + text_of(message.get());
  }
  const std::string place = place_in(file, traceback);
  PyErr_Restore(owned_type.release(), owned_value.release(), owned_traceback.release());
  const PythonError error = fetch_error();
  return (place.empty() ? file + ": " : place) + "importing it raised " + error.what();
}

// A Python iterable as the server's ResponseIterable: each chunk taken with the GIL held, which
// is let go between chunks while the server writes to the socket.
class PythonResponse : public wsgi::ResponseIterable {
 public:
  // `closed` tells the trace when the server has called close(); `chain` (or null) traces the
  // calls the iteration and close() make, as request `req`.
  PythonResponse(Ref result, std::shared_ptr<AppCall> call, std::function<void()> closed,
                 const CallChain* chain, int req)
      : result_(std::move(result)),
        call_(std::move(call)),
        closed_(std::move(closed)),
        chain_(chain),
        req_(req) {
    iterator_ = Ref(PyObject_GetIter(result_.get()));
    if (!iterator_) throw fetch_error();
  }

  ~PythonResponse() override {
    Gil gil;
    iterator_ = Ref();
    result_ = Ref();
  }

  std::optional<std::string> next() override {
    if (!call_->written.empty()) {  // write()'s data goes first
      std::string data = std::move(call_->written.front());
      call_->written.pop_front();
      return data;
    }
    Gil gil;
    Ref chunk;
    {
      TracedCalls traced(chain_, req_);
      chunk = Ref(PyIter_Next(iterator_.get()));
    }
    if (!chunk) {
      if (PyErr_Occurred()) throw fetch_error();
      return std::nullopt;
    }
    if (!PyBytes_Check(chunk.get())) {
      throw PythonError("TypeError: the app's iterable yielded " +
                            std::string(Py_TYPE(chunk.get())->tp_name) +
                            ", not bytes (PEP 3333: the body is bytes; encode a str first)",
                        "TypeError", "");
    }
    return std::string(PyBytes_AS_STRING(chunk.get()),
                       static_cast<std::size_t>(PyBytes_GET_SIZE(chunk.get())));
  }

  void close() override {
    {
      Gil gil;
      call_->start_response = nullptr;
      if (!PyObject_HasAttrString(result_.get(), "close")) return;
      Ref done;
      {
        TracedCalls traced(chain_, req_);
        done = Ref(PyObject_CallMethod(result_.get(), "close", nullptr));
      }
      if (!done) {
        // close() has nowhere to raise to: the response is over. Log it as the server would.
        const PythonError error = fetch_error();
        std::fprintf(stderr, "Error in the app's close():\n%s", error.traceback().c_str());
      }
    }
    closed_();
  }

  // A one-element list of bytes: its length is the body's (PEP 3333 lets a server use it).
  std::optional<std::size_t> known_length() const override {
    Gil gil;
    const auto body = list_body();
    if (!body || !PyList_Check(result_.get()) || PyList_GET_SIZE(result_.get()) != 1)
      return std::nullopt;
    return body->size();
  }

  std::optional<std::string> body_if_known() const override {
    Gil gil;
    return list_body();
  }

 private:
  // The body, when the app returned a list of bytes and wrote nothing (with the GIL held).
  std::optional<std::string> list_body() const {
    if (!PyList_Check(result_.get()) || !call_->written.empty()) return std::nullopt;
    std::string body;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(result_.get()); ++i) {
      PyObject* item = PyList_GET_ITEM(result_.get(), i);
      if (!PyBytes_Check(item)) return std::nullopt;
      body.append(PyBytes_AS_STRING(item), static_cast<std::size_t>(PyBytes_GET_SIZE(item)));
    }
    return body;
  }

  Ref result_;
  Ref iterator_;
  std::shared_ptr<AppCall> call_;
  std::function<void()> closed_;
  const CallChain* chain_;
  int req_;
};

}  // namespace

std::unique_ptr<PythonApp> PythonApp::load(const WsgiTarget& target, trace::Emitter voice,
                                           std::string& error, int level) {
  start_interpreter();
  Gil gil;
  std::unique_ptr<CallChain> chain;
  if (voice.enabled() && level >= trace::kFrameworkInternals)
    chain = std::make_unique<CallChain>(voice);
  const std::string file = target.file.string();
  Ref globals(PyDict_New());
  PyDict_SetItemString(globals.get(), "__builtins__", PyEval_GetBuiltins());
  Ref defined(PyRun_String(kImportByFile, Py_file_input, globals.get(), globals.get()));
  if (!defined) {
    error = fetch_error().what();
    return nullptr;
  }
  Ref module;
  {
    TracedCalls traced(chain.get(), 0);  // the import's add_url_rule calls
    module = Ref(PyObject_CallFunction(PyDict_GetItemString(globals.get(), "import_by_file"), "ss",
                                       file.c_str(), target.file.stem().c_str()));
  }
  if (!module) {
    error = import_failure(file);
    return nullptr;
  }
  // Without a name, the two Flask's own `flask run` looks for first.
  std::string name = target.name;
  if (name.empty()) {
    for (const char* candidate : {"app", "application"}) {
      if (PyObject_HasAttrString(module.get(), candidate)) {
        name = candidate;
        break;
      }
    }
    if (name.empty()) {
      error = file + ": defines neither `app` nor `application`; name the WSGI callable as " +
              file + ":NAME";
      return nullptr;
    }
  }
  Ref callable(PyObject_GetAttrString(module.get(), name.c_str()));
  if (!callable) {
    PyErr_Clear();
    error = file + ": has no `" + name + "`; expected the WSGI callable's name";
    return nullptr;
  }
  if (!PyCallable_Check(callable.get())) {
    error = file + ": `" + name + "` is a " + Py_TYPE(callable.get())->tp_name +
            ", not a callable; expected the WSGI app, app(environ, start_response)";
    return nullptr;
  }
  const bool flask_says_call = chain && chain->is_flask_app(callable.get());
  if (chain) chain->learn_module(module.get(), file);
  auto app = std::unique_ptr<PythonApp>(new PythonApp(std::move(callable),
                                                      target.file.filename().string() + ":" + name,
                                                      std::move(voice), std::move(chain)));
  app->flask_says_call_ = flask_says_call;
  return app;
}

PythonApp::~PythonApp() {
  chain_.reset();
  Gil gil;
  callable_ = Ref();
}

std::unique_ptr<wsgi::ResponseIterable> PythonApp::operator()(wsgi::Environ& environ,
                                                              wsgi::StartResponse& start_response) {
  auto call = std::make_shared<AppCall>();
  call->start_response = &start_response;
  const int req = environ.request_number();
  call->voice = voice_;
  call->req = req;
  if (!flask_says_call_) {
    voice_(trace::Phase::Call, req, trace::kFrameworkInternals,
           "Python runs " + name_ +
               "(environ, start_response): the real app, in the embedded "
               "interpreter",
           {{"app.state", "Running " + name_}}, {{"app", name_}});
  }
  Gil gil;
  Ref environ_object = environ_dict(environ, call);
  Ref respond = make_start_response(call);
  Ref result;
  {
    TracedCalls traced(chain_.get(), req);
    result = Ref(PyObject_CallFunctionObjArgs(callable_.get(), environ_object.get(), respond.get(),
                                              nullptr));
  }
  // The environ's copy, as the call left it; what the app writes later (while the body is
  // iterated) still reaches stderr and the trace.
  environ.errors = call->errors;
  if (!result) throw fetch_error();
  return std::make_unique<PythonResponse>(
      std::move(result), std::move(call),
      [voice = voice_, req] {
        voice(trace::Phase::Close, req, trace::kFrameworkInternals,
              "The server calls close() on the app's iterable: the app is done with the request",
              {{"app.state", "Idle"}});
      },
      chain_.get(), req);
}

}  // namespace reqtrace::python
