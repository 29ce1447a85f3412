// A real Python WSGI app (a Flask app, or any callable) served through PEP 3333's contract.
#pragma once

#include <memory>
#include <string>

#include "sim/python/call_chain.hpp"
#include "sim/python/interpreter.hpp"
#include "sim/python/wsgi_target.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::python {

class PythonApp : public wsgi::Application {
 public:
  // Starts the interpreter if need be, imports the module (its folder first on sys.path, as
  // gunicorn's --chdir makes it) and finds the callable. nullptr with `error` naming the file,
  // the line and Python's message (a SyntaxError, an ImportError, a missing or uncallable name).
  // Its events (the call, and close() when the server is done) go to `voice`. When `voice`
  // records and `level` is 3, Flask's real call chain is traced too (CallChain): the import's
  // add_url_rule calls and url_map at once, then each request's steps. Below level 3, or with
  // a voice that records nothing, the profile hook is never installed and costs nothing.
  static std::unique_ptr<PythonApp> load(const WsgiTarget& target, trace::Emitter voice,
                                         std::string& error,
                                         int level = trace::kFrameworkInternals);
  ~PythonApp() override;
  PythonApp(const PythonApp&) = delete;
  PythonApp& operator=(const PythonApp&) = delete;

  // Calls app(environ, start_response) with the GIL held, and returns the app's iterable, which
  // takes the GIL again for each chunk, so other threads run Python while this one sends. A
  // Python exception comes out as PythonError.
  std::unique_ptr<wsgi::ResponseIterable> operator()(wsgi::Environ& environ,
                                                     wsgi::StartResponse& start_response) override;

  const std::string& name() const { return name_; }  // "shop.py:app", as the trace says it

 private:
  PythonApp(Ref callable, std::string name, trace::Emitter voice, std::unique_ptr<CallChain> chain)
      : callable_(std::move(callable)),
        name_(std::move(name)),
        voice_(std::move(voice)),
        chain_(std::move(chain)) {}
  Ref callable_;
  std::string name_;
  trace::Emitter voice_;
  std::unique_ptr<CallChain> chain_;  // null: the call chain is not traced
  bool flask_says_call_ = false;      // the hook announces Flask.__call__ itself
};

}  // namespace reqtrace::python
