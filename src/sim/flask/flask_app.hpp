// Flask's app object: a WSGI app that routes each request to a view and sends what it returns.
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/flask/http_exceptions.hpp"
#include "sim/flask/request.hpp"
#include "sim/flask/request_context.hpp"
#include "sim/flask/response.hpp"
#include "sim/flask/url_map.hpp"
#include "sim/flask/wsgi_app.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::flask {

// What a view returns, as a Flask view says `return body, status, headers`:
// make_response turns it into a Response. A generator instead of a body streams.
struct ViewReturn {
  ViewReturn(std::string text) : body(std::move(text)) {}         // NOLINT: `return "Hello";`
  ViewReturn(const char* text) : body(text) {}                    // NOLINT
  ViewReturn(Generator chunks) : generator(std::move(chunks)) {}  // NOLINT

  std::string body;
  Generator generator;  // set: the body is produced while the server sends it
  int status = 200;
  wsgi::Headers headers;  // added after Content-Type and Content-Length
  std::string content_type = std::string(kDefaultContentType);
};

// A view function: it reads request.view_args, args, form and headers, and returns.
using View = std::function<ViewReturn(const Request&)>;

// @app.before_request: returns nothing to go on, or a value that answers
// instead of the view (preprocess_request stops there).
using BeforeRequest = std::function<std::optional<ViewReturn>(const Request&)>;
// @app.after_request: gets the Response and returns the one to send.
using AfterRequest = std::function<Response(Response)>;
// @app.teardown_request: gets the unhandled exception, or none, when the
// request context pops.
using TeardownRequest = std::function<void(std::exception_ptr)>;

// What make_response accepts: a view's return value, or a Response already made
// (the automatic OPTIONS answer, an HTTP exception's page).
using ResponseReturnValue = std::variant<ViewReturn, Response>;

class Flask : public wsgi::Application {
 public:
  // Flask(__name__). The emitter is the app's voice in the trace (actor app).
  Flask(std::string import_name, trace::Emitter emitter);
  Flask(const Flask&) = delete;
  Flask& operator=(const Flask&) = delete;

  const std::string import_name;
  Map url_map;
  std::map<std::string, View> view_functions;  // endpoint -> view

  // app.wsgi_app: what __call__ hands over to. It starts as the method
  // flask_wsgi_app; middleware replaces it with a wrapper around what it was,
  // app.wsgi_app = ProxyFix(app.wsgi_app), so the outermost runs first.
  WsgiApp wsgi_app;

  // The request hooks, in the order they were registered. before_request
  // functions run in that order; after_request and teardown_request ones in
  // reverse (flask/app.py process_response, do_teardown_request).
  std::vector<BeforeRequest> before_request_funcs;
  std::vector<AfterRequest> after_request_funcs;
  std::vector<TeardownRequest> teardown_request_funcs;
  void before_request(BeforeRequest f) { before_request_funcs.push_back(std::move(f)); }
  void after_request(AfterRequest f) { after_request_funcs.push_back(std::move(f)); }
  void teardown_request(TeardownRequest f) { teardown_request_funcs.push_back(std::move(f)); }

  // What @app.route(rule, methods=...) does: a Rule into url_map, the view into
  // view_functions. GET brings HEAD; OPTIONS is added, for the app to answer
  // itself, unless listed. Throws std::invalid_argument for a bad rule or a
  // second view for the same endpoint. Done at startup, before serving.
  void add_url_rule(const std::string& rule, const std::string& endpoint, View view,
                    std::vector<std::string> methods = {"GET"}, bool strict_slashes = true);

  // app.wsgi_app = <middleware `name`>(app.wsgi_app). Call for the innermost
  // first. Throws std::invalid_argument for an unknown name.
  void wrap_wsgi_app(std::string_view middleware_name);
  // The middleware around wsgi_app, outermost first.
  const std::vector<std::string>& middleware() const { return middleware_; }

  // __call__(environ, start_response): only hands over to self.wsgi_app. That
  // indirection is what lets middleware wrap the app after it is built.
  std::unique_ptr<wsgi::ResponseIterable> operator()(wsgi::Environ& environ,
                                                     wsgi::StartResponse& start_response) override;

  // Flask.wsgi_app, the method: push a request context (which matches the URL),
  // full_dispatch_request (or handle_exception), call the response as a WSGI
  // app, and pop the context in `finally`: teardown runs before the body is sent.
  std::unique_ptr<wsgi::ResponseIterable> flask_wsgi_app(wsgi::Environ& environ,
                                                         wsgi::StartResponse& start_response);

  // The first request's before_first_request functions, request_started,
  // preprocess_request, then dispatch_request unless a before_request function
  // answered; an HTTP exception becomes its response; then finalize_request.
  Response full_dispatch_request(RequestContext& ctx);
  // url_value_preprocessors, then the before_request functions; the first
  // value one returns answers instead of the view.
  std::optional<ViewReturn> preprocess_request(RequestContext& ctx);
  // Raises the routing exception push() stored, answers OPTIONS itself when
  // add_url_rule added it, or calls view_functions[rule.endpoint](**view_args).
  ResponseReturnValue dispatch_request(RequestContext& ctx);
  // An HTTP exception becomes its own small page (404, 405, 308, 400...).
  ResponseReturnValue handle_user_exception(RequestContext& ctx, const HTTPException& error);
  // Anything else a view raised: logged to wsgi.errors, answered with a 500.
  ResponseReturnValue handle_exception(RequestContext& ctx, std::exception_ptr error);
  // make_response, then process_response.
  Response finalize_request(RequestContext& ctx, ResponseReturnValue rv);
  Response make_response(RequestContext& ctx, ResponseReturnValue rv);
  // The after_request functions, newest first; then the session would be saved.
  Response process_response(RequestContext& ctx, Response response);
  Response make_default_options_response(RequestContext& ctx);
  // ctx.pop(): do_teardown_request (the teardown_request functions, newest
  // first, given the unhandled exception), then the app context pops.
  void do_teardown_request(RequestContext& ctx, const std::exception_ptr& error);
  // "[time] ERROR in app: Exception on /boom [GET]" and a traceback, to wsgi.errors.
  void log_exception(RequestContext& ctx, const std::string& name, const std::string& message);

  const trace::Emitter& emitter() const { return emit_; }

 private:
  trace::Emitter emit_;
  std::vector<std::string> middleware_;
  // _got_first_request, set under _before_request_lock by the first request of
  // this app object (per worker process, where each builds its own).
  std::atomic<bool> got_first_request_ = false;
  std::mutex before_request_lock_;
};

}  // namespace reqtrace::flask
