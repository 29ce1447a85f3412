// Flask's real request path as level-3 events: a C-level profile hook that knows Flask's,
// Werkzeug's and the app module's code objects, and says what each of their calls is.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/python/interpreter.hpp"
#include "trace/emitter.hpp"

struct PyCodeObject;  // CPython's code object

namespace reqtrace::python {

// What a call of a known code object is, in the request's story.
enum class Step {
  AddUrlRule,       // Flask.add_url_rule (unwrapped from @setupmethod)
  Call,             // Flask.__call__
  Middleware,       // werkzeug's middleware __call__, a class of the app's module with __call__,
                    // or a function defined inside that __call__ (a start_response wrapper)
  PushContext,      // RequestContext.push
  Match,            // RequestContext.match_request: said on return, with what it stored
  FullDispatch,     // Flask.full_dispatch_request
  Preprocess,       // Flask.preprocess_request
  BeforeRequest,    // a before_request function
  Dispatch,         // Flask.dispatch_request
  View,             // a view function: view on call, view_return on return
  MakeResponse,     // Flask.make_response: said on return, with the status made
  ProcessResponse,  // Flask.process_response
  AfterRequest,     // an after_request function
  Teardown,         // Flask.do_teardown_request
  TeardownRequest,  // a teardown_request function
  HandleUserException,  // Flask.handle_user_exception: an HTTPException's page
  HandleException,      // Flask.handle_exception: the 500 path
  ErrorHandler,         // an @app.errorhandler function
  AppFunction,          // any other function of the app's module
};

// The map from code object to Step, built once with the GIL held: Flask's methods looked up on
// flask.Flask and flask.ctx.RequestContext before the app is imported (so the import's own
// add_url_rule calls are seen), then the app's module and its Flask apps' views and hooks after.
class CallChain {
 public:
  // Imports flask (when it is installed) and learns its methods. GIL held.
  explicit CallChain(trace::Emitter voice);
  ~CallChain();
  CallChain(const CallChain&) = delete;
  CallChain& operator=(const CallChain&) = delete;

  // Learns the functions and classes `module` defines in `file`, and every Flask app among its
  // globals: their views, request hooks and error handlers. Then says, for each app, url_map as
  // it now is. GIL held.
  void learn_module(PyObject* module, const std::string& file);

  // True when `callable` is a Flask app the module defined (its __call__ is Flask's, which the
  // hook announces as `call`). GIL held.
  bool is_flask_app(PyObject* callable) const;

  const trace::Emitter& voice() const { return voice_; }
  const Step* step_of(::PyCodeObject* code) const {
    const auto found = steps_.find(code);
    return found == steps_.end() ? nullptr : &found->second;
  }

 private:
  void add(PyObject* function, Step step);
  void add_code(PyObject* code, Step step);
  void add_nested(PyObject* code, Step step);  // the functions defined inside `code`
  void say_url_map(PyObject* app) const;

  trace::Emitter voice_;
  Ref flask_class_;
  std::unordered_map<::PyCodeObject*, Step> steps_;
  std::vector<Ref> codes_;  // keeps every mapped code object alive, so no address is reused
};

// For its lifetime, the calling thread's Python calls go through the hook, as request `req`;
// the hook is removed again at the end, so a thread that is not serving never sees it. Does
// nothing when `chain` is null (tracing off). GIL held for the whole lifetime.
class TracedCalls {
 public:
  TracedCalls(const CallChain* chain, int req);
  ~TracedCalls();
  TracedCalls(const TracedCalls&) = delete;
  TracedCalls& operator=(const TracedCalls&) = delete;

 private:
  bool installed_ = false;
};

}  // namespace reqtrace::python
