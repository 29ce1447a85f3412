// Flask's app object: a WSGI app that routes each request to a view and sends what it returns.
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <memory>
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

  // What @app.route(rule, methods=...) does: a Rule into url_map, the view into
  // view_functions. GET brings HEAD; OPTIONS is added, for the app to answer
  // itself, unless listed. Throws std::invalid_argument for a bad rule or a
  // second view for the same endpoint.
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

  // Flask.wsgi_app, the method: push a request context, full_dispatch_request
  // (or handle_exception), call the response as a WSGI app, pop the context.
  std::unique_ptr<wsgi::ResponseIterable> flask_wsgi_app(wsgi::Environ& environ,
                                                         wsgi::StartResponse& start_response);

  // dispatch_request, and an HTTP exception it raises turned into its response.
  Response full_dispatch_request(RequestContext& ctx);
  // Match the URL, then call the view with the request; raises the routing
  // exception when nothing matched. Answers OPTIONS itself when it added it.
  ResponseReturnValue dispatch_request(RequestContext& ctx);
  // An HTTP exception becomes its own small page (404, 405, 308, 400...).
  ResponseReturnValue handle_user_exception(RequestContext& ctx, const HTTPException& error);
  // Anything else a view raised: logged to wsgi.errors, answered with a 500.
  ResponseReturnValue handle_exception(RequestContext& ctx, std::exception_ptr error);
  Response finalize_request(RequestContext& ctx, ResponseReturnValue rv);
  Response make_response(RequestContext& ctx, ResponseReturnValue rv);
  Response make_default_options_response(RequestContext& ctx);
  // "[time] ERROR in app: Exception on /boom [GET]" and a traceback, to wsgi.errors.
  void log_exception(RequestContext& ctx, const std::string& name, const std::string& message);

  const trace::Emitter& emitter() const { return emit_; }

 private:
  trace::Emitter emit_;
  std::vector<std::string> middleware_;
};

}  // namespace reqtrace::flask
