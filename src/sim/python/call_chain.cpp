#define PY_SSIZE_T_CLEAN
#include <Python.h>
// Python.h first: it sets feature macros the C library headers read.
#include <frameobject.h>

#include "sim/python/call_chain.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace reqtrace::python {

namespace {

using trace::Phase;
constexpr std::size_t kPreviewBytes = 1024;  // as much of a view's body as the imitation shows

// What the hook knows on the thread it is installed on: the request, and the RequestContext
// pushed for it (so later steps read request.endpoint and view_args from the real object).
struct ThreadTrace {
  const CallChain* chain = nullptr;
  int req = 0;
  Ref ctx;
  bool view_expected = false;  // dispatch_request is about to call a view
  bool view_seen = false;      // and the view's frame ran (a generator view's does not)
  Phase last = Phase::Invalid;
};
thread_local ThreadTrace here;

// sys.getprofile()'s answer while the hook is on: something to see from Python.
PyObject* hook_marker() {
  static PyObject* marker = PyUnicode_FromString("reqtrace call chain");
  return marker;
}

Ref attr(PyObject* object, const char* name) {
  if (object == nullptr) return Ref();
  Ref value(PyObject_GetAttrString(object, name));
  if (!value) PyErr_Clear();
  return value;
}

bool is_none(const Ref& value) {
  return !value || value.get() == Py_None;
}

// A local variable of the frame (new reference), or empty.
Ref local(PyFrameObject* frame, const char* name) {
  Ref locals(PyFrame_GetLocals(frame));
  if (!locals) {
    PyErr_Clear();
    return Ref();
  }
  PyObject* value =
      PyMapping_Check(locals.get()) != 0 ? PyMapping_GetItemString(locals.get(), name) : nullptr;
  if (value == nullptr) PyErr_Clear();
  return Ref(value);
}

std::string class_name(PyObject* object) {
  Ref name(PyType_GetName(Py_TYPE(object)));
  return name ? text_of(name.get()) : std::string(Py_TYPE(object)->tp_name);
}

std::string qualname_of(PyFrameObject* frame) {
  PyCodeObject* code = PyFrame_GetCode(frame);
  std::string name = text_of(code->co_qualname);
  Py_DECREF(code);
  return name;
}

// A Python value as JSON: None, bools, numbers, strings, lists, sets (sorted), dicts; str()
// of anything else.
nlohmann::json json_of(PyObject* value) {
  if (value == nullptr || value == Py_None) return nullptr;
  if (PyBool_Check(value)) return value == Py_True;
  if (PyLong_Check(value)) {
    const long long number = PyLong_AsLongLong(value);
    if (!PyErr_Occurred()) return number;
    PyErr_Clear();
  }
  if (PyFloat_Check(value)) return PyFloat_AsDouble(value);
  if (PyUnicode_Check(value)) return text_of(value);
  if (PyDict_Check(value)) {
    nlohmann::json out = nlohmann::json::object();
    PyObject *key = nullptr, *item = nullptr;
    for (Py_ssize_t at = 0; PyDict_Next(value, &at, &key, &item) != 0;)
      out[text_of(key)] = json_of(item);
    return out;
  }
  if (PyList_Check(value) || PyTuple_Check(value) || PyAnySet_Check(value)) {
    nlohmann::json out = nlohmann::json::array();
    Ref items(PySequence_List(value));
    if (!items) {
      PyErr_Clear();
      return out;
    }
    if (PyAnySet_Check(value) && PyList_Sort(items.get()) != 0) PyErr_Clear();
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items.get()); ++i)
      out.push_back(json_of(PyList_GET_ITEM(items.get(), i)));
    return out;
  }
  return text_of(value);
}

std::size_t length_of(const Ref& sized) {
  if (!sized) return 0;
  const Py_ssize_t length = PyObject_Length(sized.get());
  if (length < 0) PyErr_Clear();
  return length < 0 ? 0 : static_cast<std::size_t>(length);
}

// How many functions a hook dict ({blueprint or None: [functions]}) holds for the app itself and
// the request's blueprints: those Flask will run for this request.
std::size_t hooks_for(PyObject* app, const char* dict_name) {
  Ref funcs = attr(app, dict_name);
  std::size_t count = 0;
  Ref own(funcs ? PyObject_CallMethod(funcs.get(), "get", "(O)", Py_None) : nullptr);
  if (!own) PyErr_Clear();
  count += length_of(own);
  Ref request = attr(here.ctx.get(), "request");
  Ref blueprints = attr(request.get(), "blueprints");
  if (funcs && blueprints) {
    const Py_ssize_t n = PySequence_Check(blueprints.get()) ? PySequence_Size(blueprints.get()) : 0;
    for (Py_ssize_t i = 0; i < n; ++i) {
      Ref name(PySequence_GetItem(blueprints.get(), i));
      Ref theirs(name ? PyObject_CallMethod(funcs.get(), "get", "(O)", name.get()) : nullptr);
      if (!theirs) PyErr_Clear();
      count += length_of(theirs);
    }
  }
  return count;
}

void say(Phase phase, int level, std::string msg, trace::Vars vars, const nlohmann::json& data) {
  here.last = phase;
  here.chain->voice()(phase, here.req, level, std::move(msg), std::move(vars), data);
}

std::string endpoint_of_request() {
  Ref request = attr(here.ctx.get(), "request");
  Ref endpoint = attr(request.get(), "endpoint");
  return is_none(endpoint) ? std::string() : text_of(endpoint.get());
}

std::string view_name() {
  const std::string endpoint = endpoint_of_request();
  return endpoint.empty() ? std::string("<no view>") : endpoint + "()";
}

// Flask.__call__: the chain app.wsgi_app now is, outermost first (each middleware keeps what it
// wraps as .app, or .wsgi_app).
void say_call(PyFrameObject* frame) {
  Ref app = local(frame, "self");
  nlohmann::json chain = nlohmann::json::array();
  Ref layer = attr(app.get(), "wsgi_app");
  for (int depth = 0; layer && depth < 8 && !PyMethod_Check(layer.get()); ++depth) {
    chain.push_back(class_name(layer.get()));
    Ref inner = attr(layer.get(), "app");
    if (!inner) inner = attr(layer.get(), "wsgi_app");
    layer = std::move(inner);
  }
  chain.push_back("Flask.wsgi_app");
  Ref import_name = attr(app.get(), "import_name");
  say(Phase::Call, trace::kFrameworkInternals,
      "Flask.__call__(environ, start_response) hands over to self.wsgi_app",
      {{"app.state", "Flask.__call__ running"}},
      {{"app", text_of(import_name.get())}, {"wsgi_app", chain}});
}

void say_middleware(PyFrameObject* frame) {
  Ref self = local(frame, "self");
  const std::string function = qualname_of(frame);
  if (!self) {  // a function defined inside a middleware's __call__: its start_response wrapper
    Ref status = local(frame, "status");
    nlohmann::json data = {{"function", function}};
    if (status) data["status"] = json_of(status.get());
    say(Phase::Middleware, trace::kFrameworkInternals,
        function + "() runs: the middleware's own code, between the app and the server", {}, data);
    return;
  }
  const std::string name = class_name(self.get());
  Ref module = attr(reinterpret_cast<PyObject*>(Py_TYPE(self.get())), "__module__");
  nlohmann::json data = {{"middleware", name}, {"class", text_of(module.get()) + "." + name}};
  for (const char* trusted : {"x_for", "x_proto", "x_host", "x_port", "x_prefix"})
    if (Ref value = attr(self.get(), trusted)) data[trusted] = json_of(value.get());
  say(Phase::Middleware, trace::kFrameworkInternals,
      name + " middleware runs: it gets environ and start_response before the app it wraps",
      {{"app.state", name + " running"}}, data);
}

void say_push_context(PyFrameObject* frame) {
  here.ctx = local(frame, "self");
  Ref app = attr(here.ctx.get(), "app");
  Ref secret = attr(app.get(), "secret_key");
  Ref adapter = attr(here.ctx.get(), "url_adapter");
  Ref scheme = attr(adapter.get(), "url_scheme");
  Ref server = attr(adapter.get(), "server_name");
  say(Phase::PushContext, trace::kFrameworkInternals,
      "wsgi_app calls ctx.push(): the app context (current_app, g) and the request context "
      "(request, session) become current, the session opens, then the URL is matched",
      {{"app.state", "Pushing the request context"}},
      {{"app_context", "pushed"},
       {"request_context", "pushed"},
       {"session", is_none(secret) ? "NullSession (the app has no secret_key)"
                                   : "SecureCookieSession (from the session cookie)"},
       {"url_adapter", text_of(scheme.get()) + "://" + text_of(server.get())}});
}

// After match_request: what it stored on the request, a rule or a routing exception.
void say_match() {
  Ref request = attr(here.ctx.get(), "request");
  const std::string method = text_of(attr(request.get(), "method").get());
  const std::string path = text_of(attr(request.get(), "path").get());
  Ref failed = attr(request.get(), "routing_exception");
  if (is_none(failed)) {
    Ref rule = attr(request.get(), "url_rule");
    const std::string text = text_of(attr(rule.get(), "rule").get());
    const std::string endpoint = text_of(attr(rule.get(), "endpoint").get());
    say(Phase::Match, trace::kFrameworkInternals,
        "ctx.push() -> match_request(): url_adapter.match: " + method + " " + path + " -> rule " +
            text + ", endpoint '" + endpoint + "'",
        {{"app.state", "Matching the URL"}},
        {{"rule", text},
         {"endpoint", endpoint},
         {"view_args", json_of(attr(request.get(), "view_args").get())},
         {"methods", json_of(attr(rule.get(), "methods").get())}});
    return;
  }
  const std::string name = class_name(failed.get());
  const nlohmann::json code = json_of(attr(failed.get(), "code").get());
  const std::string reason = text_of(attr(failed.get(), "description").get());
  nlohmann::json data = {{"outcome", code}, {"reason", reason}, {"routing_exception", name}};
  if (Ref valid = attr(failed.get(), "valid_methods"); !is_none(valid)) {
    // werkzeug/routing/map.py MapAdapter.match makes it list(a set): its order is the hash seed's.
    nlohmann::json methods = json_of(valid.get());
    std::sort(methods.begin(), methods.end());
    data["valid_methods"] = methods;
  }
  if (Ref new_url = attr(failed.get(), "new_url"); !is_none(new_url))
    data["new_url"] = text_of(new_url.get());
  say(Phase::Match, trace::kFrameworkInternals,
      "ctx.push() -> match_request(): url_adapter.match raises " + name + " (" + code.dump() +
          "): " + reason + "; kept as request.routing_exception",
      {{"app.state", "Matching the URL"}}, data);
}

void say_full_dispatch(PyFrameObject* frame) {
  Ref app = local(frame, "self");
  Ref got = attr(app.get(), "_got_first_request");
  const bool first = got && PyObject_IsTrue(got.get()) == 0;
  say(Phase::FullDispatch, trace::kFrameworkInternals,
      std::string("full_dispatch_request(): ") +
          (first ? "the app's first request, so the before_first_request functions run; then "
                 : "") +
          "request_started is sent, then preprocess_request() runs",
      {{"app.state", "full_dispatch_request running"}},
      {{"first_request", first}, {"signal", "request_started"}});
}

void say_preprocess(PyFrameObject* frame) {
  Ref app = local(frame, "self");
  const std::size_t count = hooks_for(app.get(), "before_request_funcs");
  say(Phase::Preprocess, trace::kFrameworkInternals,
      "preprocess_request(): the url_value_preprocessors, then " +
          (count == 0 ? std::string("the before_request functions (none)")
                      : std::to_string(count) + " before_request function" +
                            (count == 1 ? "" : "s") + "; a value returned answers instead"),
      {{"app.state", "preprocess_request running"}},
      {{"url_value_preprocessors", hooks_for(app.get(), "url_value_preprocessors")},
       {"before_request_funcs", count}});
}

void say_dispatch() {
  here.view_expected = false;
  here.view_seen = false;
  Ref request = attr(here.ctx.get(), "request");
  Ref failed = attr(request.get(), "routing_exception");
  if (!is_none(failed)) {
    const std::string name = class_name(failed.get());
    const nlohmann::json code = json_of(attr(failed.get(), "code").get());
    say(Phase::Dispatch, trace::kFrameworkInternals,
        "dispatch_request(): request.routing_exception is set, so it raises " + name + " (" +
            code.dump() + "); handle_user_exception answers with its page, and no view runs",
        {{"app.state", name + ": no view runs"}}, {{"routing_exception", name}, {"status", code}});
    return;
  }
  Ref rule = attr(request.get(), "url_rule");
  const std::string endpoint = text_of(attr(rule.get(), "endpoint").get());
  Ref automatic = attr(rule.get(), "provide_automatic_options");
  if (automatic && PyObject_IsTrue(automatic.get()) == 1 &&
      text_of(attr(request.get(), "method").get()) == "OPTIONS") {
    say(Phase::Dispatch, trace::kFrameworkInternals,
        "dispatch_request(): OPTIONS, which add_url_rule added for Flask to answer: "
        "make_default_options_response(), and no view runs",
        {{"app.state", "Answering OPTIONS: no view runs"}}, {{"endpoint", endpoint}});
    return;
  }
  here.view_expected = true;
  say(Phase::Dispatch, trace::kFrameworkInternals,
      "dispatch_request(): calls view_functions['" + endpoint + "'](**request.view_args)",
      {{"app.state", "dispatch_request running"}},
      {{"endpoint", endpoint}, {"view_args", json_of(attr(request.get(), "view_args").get())}});
}

void say_view() {
  here.view_seen = true;
  Ref request = attr(here.ctx.get(), "request");
  const std::string name = view_name();
  say(Phase::View, trace::kFrameworkInternals,
      "dispatch_request calls the view function " + name + " with the view_args",
      {{"app.state", "Running " + name + " route"}},
      {{"endpoint", endpoint_of_request()},
       {"view_args", json_of(attr(request.get(), "view_args").get())}});
}

// What the view returned, shortened: a body (str or bytes), a (body, status) tuple, a Response,
// a generator.
void say_view_return(PyObject* rv) {
  const std::string name = view_name();
  PyObject* body = rv;
  nlohmann::json data = {{"status", 200}};
  if (PyTuple_Check(rv) && PyTuple_GET_SIZE(rv) > 0) {
    body = PyTuple_GET_ITEM(rv, 0);
    if (PyTuple_GET_SIZE(rv) > 1 && PyLong_Check(PyTuple_GET_ITEM(rv, 1)))
      data["status"] = json_of(PyTuple_GET_ITEM(rv, 1));
  }
  if (Ref code = attr(body, "status_code"); code && PyLong_Check(code.get()))
    data["status"] = json_of(code.get());
  std::string text;
  if (PyBytes_Check(body)) {
    text.assign(PyBytes_AS_STRING(body), static_cast<std::size_t>(PyBytes_GET_SIZE(body)));
  } else if (PyUnicode_Check(body)) {
    text = text_of(body);
  } else {
    Ref repr(PyObject_Repr(body));
    if (!repr) PyErr_Clear();
    const std::string shown = repr ? text_of(repr.get()) : class_name(body);
    data["returned"] = shown.substr(0, kPreviewBytes);
    say(Phase::ViewReturn, trace::kFrameworkInternals,
        name + " returned " + trace::quoted_preview(shown), {}, data);
    return;
  }
  data["returned"] = text.substr(0, kPreviewBytes);
  data["length"] = text.size();
  if (text.size() > kPreviewBytes) data["truncated"] = true;
  say(Phase::ViewReturn, trace::kFrameworkInternals,
      name + " returned " + std::to_string(text.size()) + " bytes of body", {}, data);
}

void say_make_response(PyObject* response) {
  const std::string status = text_of(attr(response, "status").get());
  Ref headers = attr(response, "headers");
  Ref list(headers ? PyObject_CallMethod(headers.get(), "to_wsgi_list", nullptr) : nullptr);
  if (!list) PyErr_Clear();
  say(Phase::MakeResponse, trace::kFrameworkInternals,
      "make_response() turns the return value into a Response: " + status, {},
      {{"status", status}, {"headers", json_of(list.get())}});
}

void say_process_response(PyFrameObject* frame) {
  Ref app = local(frame, "self");
  const std::size_t count = hooks_for(app.get(), "after_request_funcs");
  Ref secret = attr(app.get(), "secret_key");
  say(Phase::ProcessResponse, trace::kFrameworkInternals,
      "process_response(): " +
          (count == 0 ? std::string("the after_request functions (none)")
                      : std::to_string(count) + " after_request function" +
                            (count == 1 ? "" : "s") + ", the last registered first") +
          (is_none(secret) ? "; the session is a NullSession, so nothing is saved"
                           : "; then the session is saved"),
      {},
      {{"after_request_funcs", count},
       {"session", is_none(secret) ? "NullSession: not saved" : "saved if modified"}});
}

void say_teardown(PyFrameObject* frame) {
  Ref app = local(frame, "self");
  Ref exc = local(frame, "exc");
  const std::size_t count = hooks_for(app.get(), "teardown_request_funcs");
  nlohmann::json data = {{"teardown_request_funcs", count}, {"exc", nullptr}};
  if (!is_none(exc) && PyExceptionInstance_Check(exc.get())) data["exc"] = class_name(exc.get());
  say(Phase::Teardown, trace::kFrameworkInternals,
      "wsgi_app's finally pops the request context: do_teardown_request runs " +
          (count == 0
               ? std::string("the teardown_request functions (none)")
               : std::to_string(count) + " teardown_request function" + (count == 1 ? "" : "s")) +
          ", then the app context pops",
      {}, data);
}

// handle_user_exception: an HTTPException other than the routing one (shown at dispatch) is
// news; anything else goes on to an error handler or handle_exception, which speak for it.
void say_user_exception(PyFrameObject* frame) {
  Ref error = local(frame, "e");
  Ref code = attr(error.get(), "code");
  if (!error || is_none(code) || !PyLong_Check(code.get())) return;
  Ref request = attr(here.ctx.get(), "request");
  if (Ref routing = attr(request.get(), "routing_exception"); routing.get() == error.get()) return;
  const std::string name = class_name(error.get());
  say(Phase::Error, trace::kServerInternals,
      name + " raised in " + view_name() + ": handle_user_exception answers with its " +
          json_of(code.get()).dump() + " page",
      {{"app.state", "Error: " + name}},
      {{"exception", name},
       {"message", text_of(attr(error.get(), "description").get())},
       {"status", json_of(code.get())}});
}

void say_exception(PyFrameObject* frame) {
  Ref error = local(frame, "e");
  const std::string name = error ? class_name(error.get()) : "Exception";
  say(Phase::Error, trace::kServerInternals,
      name + " raised in " + view_name() +
          ": handle_exception logs the traceback and answers 500 Internal Server Error",
      {{"app.state", "Error: " + name}},
      {{"exception", name}, {"message", error ? text_of(error.get()) : ""}, {"status", 500}});
}

// One of the app's own functions: a request hook, an error handler, or anything else, told in
// the step it runs in.
void say_app_function(Step step, PyFrameObject* frame) {
  const std::string function = qualname_of(frame);
  nlohmann::json data = {{"function", function}};
  switch (step) {
    case Step::BeforeRequest:
      say(Phase::Preprocess, trace::kFrameworkInternals,
          "preprocess_request calls the before_request function " + function +
              "(): a value it returns answers instead of the view",
          {}, data);
      return;
    case Step::AfterRequest:
      say(Phase::ProcessResponse, trace::kFrameworkInternals,
          "process_response calls the after_request function " + function +
              "(response): the Response it returns is sent",
          {}, data);
      return;
    case Step::TeardownRequest:
      say(Phase::Teardown, trace::kFrameworkInternals,
          "do_teardown_request calls the teardown_request function " + function + "(exc)", {},
          data);
      return;
    case Step::ErrorHandler: {
      Ref error = local(frame, "e");
      if (!error) error = local(frame, "error");
      if (error) data["exception"] = class_name(error.get());
      say(Phase::Error, trace::kServerInternals,
          "the error handler " + function + "() answers for " +
              (error ? class_name(error.get()) : std::string("the exception")),
          {}, data);
      return;
    }
    default:
      if (here.last == Phase::Invalid) return;
      say(here.last, trace::kFrameworkInternals,
          "your function " + function + "() runs (in " + std::string(trace::name_of(here.last)) +
              ")",
          {}, data);
  }
}

// Flask.add_url_rule has returned: the Rule it built is its local `rule`, now in url_map.
void say_add_url_rule(PyFrameObject* frame) {
  Ref rule = local(frame, "rule");
  Ref view = local(frame, "view_func");
  const std::string text = text_of(attr(rule.get(), "rule").get());
  const std::string endpoint = text_of(attr(rule.get(), "endpoint").get());
  const nlohmann::json methods = json_of(attr(rule.get(), "methods").get());
  std::string methods_repr;
  for (const auto& method : methods)
    methods_repr += (methods_repr.empty() ? "'" : ", '") + method.get<std::string>() + "'";
  // Who called it, past @setupmethod's wrapper: @app.route's decorator, Flask.__init__ (for the
  // static folder), or the app's own code.
  std::string by = "app.add_url_rule('" + text + "')";
  for (PyFrameObject* caller = PyFrame_GetBack(frame); caller != nullptr;) {
    const std::string name = qualname_of(caller);
    PyFrameObject* next = name.ends_with("wrapper_func") ? PyFrame_GetBack(caller) : nullptr;
    if (name.ends_with("route.<locals>.decorator"))
      by = "@app.route('" + text + "') -> add_url_rule";
    if (name == "Flask.__init__") by = "Flask.__init__ (the static folder) -> add_url_rule";
    Py_DECREF(caller);
    caller = next;
  }
  say(Phase::AddUrlRule, trace::kFrameworkInternals,
      by + ": Rule('" + text + "', endpoint='" + endpoint + "', methods={" + methods_repr +
          "}) -> url_map.add(rule)" +
          (is_none(view) ? std::string() : "; view_functions['" + endpoint + "'] = " + endpoint),
      {},
      {{"rule", text},
       {"endpoint", endpoint},
       {"methods", methods},
       {"arguments", json_of(attr(rule.get(), "arguments").get())},
       {"strict_slashes", json_of(attr(rule.get(), "strict_slashes").get())},
       {"provide_automatic_options", json_of(attr(rule.get(), "provide_automatic_options").get())},
       {"view", !is_none(view)}});
}

void on_call(Step step, PyFrameObject* frame) {
  switch (step) {
    case Step::Call:
      say_call(frame);
      return;
    case Step::Middleware:
      say_middleware(frame);
      return;
    case Step::PushContext:
      say_push_context(frame);
      return;
    case Step::FullDispatch:
      say_full_dispatch(frame);
      return;
    case Step::Preprocess:
      say_preprocess(frame);
      return;
    case Step::Dispatch:
      say_dispatch();
      return;
    case Step::View:
      say_view();
      return;
    case Step::ProcessResponse:
      say_process_response(frame);
      return;
    case Step::Teardown:
      say_teardown(frame);
      return;
    case Step::HandleUserException:
      say_user_exception(frame);
      return;
    case Step::HandleException:
      say_exception(frame);
      return;
    case Step::BeforeRequest:
    case Step::AfterRequest:
    case Step::TeardownRequest:
    case Step::ErrorHandler:
    case Step::AppFunction:
      say_app_function(step, frame);
      return;
    case Step::AddUrlRule:
    case Step::Match:
    case Step::MakeResponse:
      return;  // said on return
  }
}

// `rv` is what the frame returned; null when it is left by an exception.
void on_return(Step step, PyFrameObject* frame, PyObject* rv) {
  if (rv == nullptr) return;
  switch (step) {
    case Step::AddUrlRule:
      say_add_url_rule(frame);
      return;
    case Step::Match:
      say_match();
      return;
    case Step::View:
      say_view_return(rv);
      return;
    case Step::MakeResponse:
      say_make_response(rv);
      return;
    case Step::Dispatch:
      // A generator view's frame only runs while the body is sent: Flask called the function,
      // which returned the generator at once.
      if (here.view_expected && !here.view_seen) {
        say_view();
        say_view_return(rv);
      }
      here.view_expected = false;
      return;
    default:
      return;
  }
}

// The hook. Every Python call and return of the thread comes here; all but the few mapped code
// objects leave at the map lookup.
int profile(PyObject* /*marker*/, PyFrameObject* frame, int what, PyObject* arg) {
  if (what != PyTrace_CALL && what != PyTrace_RETURN) return 0;
  if (here.chain == nullptr) return 0;
  PyCodeObject* code = PyFrame_GetCode(frame);
  const Step* step = here.chain->step_of(code);
  Py_DECREF(code);  // the frame keeps it
  if (step == nullptr) return 0;
  // A frame left by an exception has it set: keep it aside while we read the objects.
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  try {
    if (what == PyTrace_CALL)
      on_call(*step, frame);
    else
      on_return(*step, frame, arg);
  } catch (const std::exception& e) {  // the trace must never break the app
    std::fprintf(stderr, "reqtrace: the call-chain hook failed: %s\n", e.what());
  }
  PyErr_Clear();
  PyErr_Restore(type, value, traceback);
  return 0;
}

// The function object behind `name` on `owner`, unwrapped from decorators such as Flask's
// @setupmethod (whose wrapper's code all setup methods share).
Ref function_on(PyObject* owner, const char* name) {
  Ref function = attr(owner, name);
  for (int depth = 0; function && depth < 4; ++depth) {
    Ref inner = attr(function.get(), "__wrapped__");
    if (!inner) break;
    function = std::move(inner);
  }
  return function;
}

Ref import(const char* module) {
  Ref imported(PyImport_ImportModule(module));
  if (!imported) PyErr_Clear();
  return imported;
}

bool is_generator_code(PyObject* code) {
  const int flags = reinterpret_cast<PyCodeObject*>(code)->co_flags;
  return (flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR | CO_ITERABLE_COROUTINE)) != 0;
}

}  // namespace

CallChain::CallChain(trace::Emitter voice) : voice_(std::move(voice)) {
  Ref flask = import("flask");
  if (!flask) return;
  flask_class_ = attr(flask.get(), "Flask");
  PyObject* app = flask_class_.get();
  add(function_on(app, "add_url_rule").get(), Step::AddUrlRule);
  add(function_on(app, "__call__").get(), Step::Call);
  add(function_on(app, "full_dispatch_request").get(), Step::FullDispatch);
  add(function_on(app, "preprocess_request").get(), Step::Preprocess);
  add(function_on(app, "dispatch_request").get(), Step::Dispatch);
  add(function_on(app, "make_response").get(), Step::MakeResponse);
  add(function_on(app, "process_response").get(), Step::ProcessResponse);
  add(function_on(app, "do_teardown_request").get(), Step::Teardown);
  add(function_on(app, "handle_user_exception").get(), Step::HandleUserException);
  add(function_on(app, "handle_exception").get(), Step::HandleException);
  Ref ctx = import("flask.ctx");
  Ref request_context = attr(ctx.get(), "RequestContext");
  add(function_on(request_context.get(), "push").get(), Step::PushContext);
  add(function_on(request_context.get(), "match_request").get(), Step::Match);
  for (const auto& [module, name] :
       {std::pair{"werkzeug.middleware.proxy_fix", "ProxyFix"},
        std::pair{"werkzeug.middleware.dispatcher", "DispatcherMiddleware"},
        std::pair{"werkzeug.middleware.shared_data", "SharedDataMiddleware"}}) {
    Ref middleware = attr(import(module).get(), name);
    add(function_on(middleware.get(), "__call__").get(), Step::Middleware);
  }
}

CallChain::~CallChain() {
  Gil gil;
  codes_.clear();
  flask_class_ = Ref();
}

void CallChain::add(PyObject* function, Step step) {
  Ref code = attr(function, "__code__");
  if (code && PyCode_Check(code.get())) add_code(code.get(), step);
}

void CallChain::add_code(PyObject* code, Step step) {
  if (is_generator_code(code)) return;  // its frame resumes once per item: not one call
  steps_.insert_or_assign(reinterpret_cast<PyCodeObject*>(code), step);
  Py_INCREF(code);
  codes_.emplace_back(code);
}

void CallChain::add_nested(PyObject* code, Step step) {
  PyObject* constants = reinterpret_cast<PyCodeObject*>(code)->co_consts;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(constants); ++i) {
    PyObject* inner = PyTuple_GET_ITEM(constants, i);
    if (!PyCode_Check(inner)) continue;
    add_code(inner, step);
    add_nested(inner, step);
  }
}

void CallChain::learn_module(PyObject* module, const std::string& file) {
  Ref module_name = attr(module, "__name__");
  PyObject* globals = PyModule_GetDict(module);  // borrowed
  std::vector<PyObject*> apps;
  PyObject *key = nullptr, *value = nullptr;
  // The module's own functions and classes first; a Flask app's views and hooks then say more
  // precisely what some of those functions are.
  for (Py_ssize_t at = 0; PyDict_Next(globals, &at, &key, &value) != 0;) {
    if (PyFunction_Check(value)) {
      PyObject* code = PyFunction_GET_CODE(value);
      if (text_of(reinterpret_cast<PyCodeObject*>(code)->co_filename) != file) continue;
      add_code(code, Step::AppFunction);
      add_nested(code, Step::AppFunction);
    } else if (PyType_Check(value)) {
      Ref owner = attr(value, "__module__");
      if (!owner || PyObject_RichCompareBool(owner.get(), module_name.get(), Py_EQ) != 1) continue;
      PyObject* members = reinterpret_cast<PyTypeObject*>(value)->tp_dict;
      PyObject *member_name = nullptr, *member = nullptr;
      for (Py_ssize_t m = 0; PyDict_Next(members, &m, &member_name, &member) != 0;) {
        if (!PyFunction_Check(member)) continue;
        const Step step = text_of(member_name) == "__call__" ? Step::Middleware : Step::AppFunction;
        add_code(PyFunction_GET_CODE(member), step);
        add_nested(PyFunction_GET_CODE(member), step);
      }
    } else if (flask_class_ && PyObject_IsInstance(value, flask_class_.get()) == 1) {
      if (std::find(apps.begin(), apps.end(), value) == apps.end()) apps.push_back(value);
    }
  }
  PyErr_Clear();
  for (PyObject* app : apps) {
    Ref views = attr(app, "view_functions");
    if (views && PyDict_Check(views.get())) {
      for (Py_ssize_t at = 0; PyDict_Next(views.get(), &at, &key, &value) != 0;)
        add(value, Step::View);
    }
    for (const auto& [dict_name, step] :
         {std::pair{"before_request_funcs", Step::BeforeRequest},
          std::pair{"after_request_funcs", Step::AfterRequest},
          std::pair{"teardown_request_funcs", Step::TeardownRequest}}) {
      Ref hooks = attr(app, dict_name);
      if (!hooks || !PyDict_Check(hooks.get())) continue;
      for (Py_ssize_t at = 0; PyDict_Next(hooks.get(), &at, &key, &value) != 0;) {
        Ref functions(PySequence_List(value));
        if (!functions) continue;
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(functions.get()); ++i)
          add(PyList_GET_ITEM(functions.get(), i), step);
      }
    }
    // error_handler_spec: {blueprint: {code: {exception class: handler}}}
    Ref spec = attr(app, "error_handler_spec");
    if (spec && PyDict_Check(spec.get())) {
      for (Py_ssize_t at = 0; PyDict_Next(spec.get(), &at, &key, &value) != 0;) {
        PyObject *code = nullptr, *handlers = nullptr;
        for (Py_ssize_t c = 0; PyDict_Check(value) && PyDict_Next(value, &c, &code, &handlers);) {
          PyObject *type = nullptr, *handler = nullptr;
          for (Py_ssize_t h = 0;
               PyDict_Check(handlers) && PyDict_Next(handlers, &h, &type, &handler);)
            add(handler, Step::ErrorHandler);
        }
      }
    }
    PyErr_Clear();
    say_url_map(app);
  }
}

bool CallChain::is_flask_app(PyObject* callable) const {
  if (!flask_class_) return false;
  const int is = PyObject_IsInstance(callable, flask_class_.get());
  if (is < 0) PyErr_Clear();
  return is == 1;
}

// url_map as it is once the module is imported: every Rule, the static one Flask.__init__ adds
// among them, in the order Werkzeug's Map keeps.
void CallChain::say_url_map(PyObject* app) const {
  Ref url_map = attr(app, "url_map");
  Ref rules(url_map ? PyObject_CallMethod(url_map.get(), "iter_rules", nullptr) : nullptr);
  Ref list(rules ? PySequence_List(rules.get()) : nullptr);
  if (!list) {
    PyErr_Clear();
    return;
  }
  nlohmann::json shown = nlohmann::json::array();
  std::string summary;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list.get()); ++i) {
    PyObject* rule = PyList_GET_ITEM(list.get(), i);
    const std::string text = text_of(attr(rule, "rule").get());
    shown.push_back({{"rule", text},
                     {"endpoint", text_of(attr(rule, "endpoint").get())},
                     {"methods", json_of(attr(rule, "methods").get())}});
    summary += (summary.empty() ? "" : ", ") + text;
  }
  voice_(
      Phase::AddUrlRule, 0, trace::kFrameworkInternals,
      "app.url_map after the import holds " + std::to_string(shown.size()) + " rules: " + summary,
      {}, {{"url_map", shown}});
}

TracedCalls::TracedCalls(const CallChain* chain, int req) {
  if (chain == nullptr) return;
  here.chain = chain;
  here.req = req;
  here.last = Phase::Invalid;
  PyEval_SetProfile(profile, hook_marker());
  installed_ = true;
}

TracedCalls::~TracedCalls() {
  if (!installed_) return;
  PyEval_SetProfile(nullptr, nullptr);
  here.chain = nullptr;
  here.ctx = Ref();
}

}  // namespace reqtrace::python
