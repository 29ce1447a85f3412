#include "sim/flask/flask_app.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "sim/flask/middleware.hpp"
#include "sim/flask/python_exception.hpp"

namespace reqtrace::flask {
namespace {

using trace::Phase;
constexpr int kPreviewBytes = 1024;

// Python's logging asctime: "2024-05-01 12:00:00,123", local time.
std::string log_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  char out[40];
  std::snprintf(out, sizeof out, "%s,%03d", text, static_cast<int>(millis));
  return out;
}

// A raised exception as Python would name it, with its message.
std::pair<std::string, std::string> describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(std::move(error));
  } catch (const PythonException& e) {
    return {e.name(), e.message()};
  } catch (const HTTPException& e) {
    return {e.class_name(), e.what()};
  } catch (const std::exception& e) {
    return {"Exception", e.what()};
  } catch (...) {
    return {"Exception", ""};
  }
}

std::string view_name(const RequestContext& ctx) {
  return ctx.request.endpoint.empty() ? std::string("<no view>") : ctx.request.endpoint + "()";
}

}  // namespace

Flask::Flask(std::string name, trace::Emitter emitter)
    : import_name(std::move(name)), emit_(std::move(emitter)) {
  wsgi_app = [this](wsgi::Environ& env, wsgi::StartResponse& start_response) {
    return flask_wsgi_app(env, start_response);
  };
}

void Flask::add_url_rule(const std::string& rule, const std::string& endpoint, View view,
                         std::vector<std::string> methods, bool strict_slashes) {
  if (endpoint.empty())
    throw std::invalid_argument("add_url_rule('" + rule + "') needs an endpoint");
  for (auto& method : methods)
    for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // Flask answers OPTIONS itself unless the view said it would.
  const bool provide_automatic_options =
      std::find(methods.begin(), methods.end(), "OPTIONS") == methods.end();
  if (provide_automatic_options) methods.emplace_back("OPTIONS");
  if (view && view_functions.contains(endpoint))
    throw std::invalid_argument(
        "View function mapping is overwriting an existing endpoint function: " + endpoint);

  Rule made(rule, endpoint, std::move(methods), strict_slashes);
  made.provide_automatic_options = provide_automatic_options;
  const Rule& added = url_map.add(std::move(made));
  const bool has_view = static_cast<bool>(view);
  if (has_view) view_functions[endpoint] = std::move(view);

  // flask/scaffold.py route -> flask/app.py add_url_rule -> werkzeug Map.add, at import time.
  std::string methods_repr;
  for (const auto& method : added.methods())
    methods_repr += (methods_repr.empty() ? "'" : ", '") + method + "'";
  emit_(Phase::AddUrlRule, 0, trace::kFrameworkInternals,
        std::string(has_view ? "@app.route('" + rule + "') -> add_url_rule"
                             : "app.add_url_rule('" + rule + "')") +
            ": Rule('" + rule + "', endpoint='" + endpoint + "', methods={" + methods_repr +
            "}) -> url_map.add(rule)" +
            (has_view ? "; view_functions['" + endpoint + "'] = " + endpoint : std::string()),
        {},
        {{"rule", rule},
         {"endpoint", endpoint},
         {"methods", added.methods()},
         {"arguments", added.arguments()},
         {"strict_slashes", strict_slashes},
         {"provide_automatic_options", provide_automatic_options},
         {"view", has_view}});
}

void Flask::wrap_wsgi_app(std::string_view middleware_name) {
  wsgi_app = make_middleware(middleware_name, std::move(wsgi_app), emit_);
  middleware_.insert(middleware_.begin(), std::string(middleware_name));
}

std::unique_ptr<wsgi::ResponseIterable> Flask::operator()(wsgi::Environ& env,
                                                          wsgi::StartResponse& start_response) {
  nlohmann::json chain = middleware_;
  chain.push_back("Flask.wsgi_app");
  emit_(Phase::Call, request_id(env), trace::kFrameworkInternals,
        "Flask.__call__(environ, start_response) hands over to self.wsgi_app",
        {{"app.state", "Flask.__call__ running"}}, {{"app", import_name}, {"wsgi_app", chain}});
  return wsgi_app(env, start_response);
}

std::unique_ptr<wsgi::ResponseIterable> Flask::flask_wsgi_app(wsgi::Environ& env,
                                                              wsgi::StartResponse& start_response) {
  const int req = request_id(env);
  RequestContext ctx(url_map, env, emit_);  // self.request_context(environ)
  std::exception_ptr error;                 // what ctx.pop(error) hands to teardown
  std::unique_ptr<wsgi::ResponseIterable> body;
  try {
    std::optional<Response> response;
    try {
      ctx.push();  // matches the URL
      response = full_dispatch_request(ctx);
    } catch (...) {
      error = std::current_exception();
      response = finalize_request(ctx, handle_exception(ctx, error));
    }
    response->call_on_close([emit = emit_, req] {
      emit(Phase::Close, req, trace::kFrameworkInternals,
           "The server calls close() on the response iterable: the app is done with the request",
           {{"app.state", "Idle"}});
    });
    body = (*response)(env, start_response);
  } catch (...) {
    do_teardown_request(ctx, error);  // `finally`, then the exception goes on up
    throw;
  }
  do_teardown_request(ctx, error);
  return body;
}

Response Flask::full_dispatch_request(RequestContext& ctx) {
  // The first request of this app object runs the before_first_request
  // functions, under a lock so two threads do not both run them.
  bool first = false;
  if (!got_first_request_) {
    const std::lock_guard lock(before_request_lock_);
    if (!got_first_request_) {
      first = true;
      got_first_request_ = true;
    }
  }
  emit_(Phase::FullDispatch, request_id(ctx.request.environ), trace::kFrameworkInternals,
        std::string("full_dispatch_request(): ") +
            (first ? "the app's first request, so the before_first_request functions run "
                     "(none here; deprecated since 2.2); then "
                   : "") +
            "request_started is sent, then preprocess_request() runs",
        {{"app.state", "full_dispatch_request running"}},
        {{"first_request", first}, {"signal", "request_started"}});
  std::optional<ResponseReturnValue> rv;
  try {
    if (auto answered = preprocess_request(ctx))
      rv = std::move(*answered);
    else
      rv = dispatch_request(ctx);
  } catch (const HTTPException& error) {
    rv = handle_user_exception(ctx, error);
  }
  return finalize_request(ctx, std::move(*rv));
}

std::optional<ViewReturn> Flask::preprocess_request(RequestContext& ctx) {
  const std::size_t count = before_request_funcs.size();
  emit_(Phase::Preprocess, request_id(ctx.request.environ), trace::kFrameworkInternals,
        "preprocess_request(): the url_value_preprocessors (none), then " +
            (count == 0 ? std::string("the before_request functions (none)")
                        : std::to_string(count) + " before_request function" +
                              (count == 1 ? "" : "s") + "; a value returned answers instead"),
        {{"app.state", "preprocess_request running"}},
        {{"url_value_preprocessors", 0}, {"before_request_funcs", count}});
  for (const auto& before : before_request_funcs)
    if (auto rv = before(ctx.request)) return rv;
  return std::nullopt;
}

ResponseReturnValue Flask::dispatch_request(RequestContext& ctx) {
  const int req = request_id(ctx.request.environ);
  if (ctx.request.routing_exception) {
    // raise_routing_exception: what push() stored; no view runs.
    const MatchOutcome& failed = *ctx.request.routing_exception;
    const std::string name(failed.class_name());
    emit_(Phase::Dispatch, req, trace::kFrameworkInternals,
          "dispatch_request(): request.routing_exception is set, so it raises " + name + " (" +
              std::to_string(failed.code()) +
              "); handle_user_exception answers with its page, and no view runs",
          {{"app.state", name + ": no view runs"}},
          {{"routing_exception", name}, {"status", failed.code()}});
    failed.raise();
  }

  const Rule& rule = *ctx.request.url_rule;
  if (rule.provide_automatic_options && ctx.request.method == "OPTIONS") {
    emit_(Phase::Dispatch, req, trace::kFrameworkInternals,
          "dispatch_request(): OPTIONS, which add_url_rule added for Flask to answer: "
          "make_default_options_response(), and no view runs",
          {{"app.state", "Answering OPTIONS: no view runs"}}, {{"endpoint", rule.endpoint()}});
    return make_default_options_response(ctx);
  }

  emit_(Phase::Dispatch, req, trace::kFrameworkInternals,
        "dispatch_request(): calls view_functions['" + rule.endpoint() + "'](**request.view_args)",
        {{"app.state", "dispatch_request running"}},
        {{"endpoint", rule.endpoint()}, {"view_args", view_args_json(ctx.request.view_args)}});
  const auto view = view_functions.find(rule.endpoint());
  if (view == view_functions.end() || !view->second)
    throw PythonException("KeyError", "'" + rule.endpoint() + "'");
  const std::string name = view_name(ctx);
  emit_(Phase::View, req, trace::kFrameworkInternals,
        "dispatch_request calls the view function " + name + " with the view_args",
        {{"app.state", "Running " + name + " route"}},
        {{"endpoint", rule.endpoint()}, {"view_args", view_args_json(ctx.request.view_args)}});
  ViewReturn rv = view->second(ctx.request);

  nlohmann::json data = {{"status", rv.status}};
  if (rv.generator) {
    data["returned"] = "<generator object " + rule.endpoint() + ">";
    emit_(Phase::ViewReturn, req, trace::kFrameworkInternals,
          name + " returned a generator: its chunks are made while the server sends them", {},
          data);
  } else {
    data["returned"] = rv.body.substr(0, kPreviewBytes);
    data["length"] = rv.body.size();
    if (rv.body.size() > kPreviewBytes) data["truncated"] = true;
    emit_(Phase::ViewReturn, req, trace::kFrameworkInternals,
          name + " returned " + std::to_string(rv.body.size()) + " bytes of body", {}, data);
  }
  return rv;
}

ResponseReturnValue Flask::handle_user_exception(RequestContext& ctx, const HTTPException& error) {
  // The routing exception was shown where dispatch_request raised it; any other is news.
  const auto& routing = ctx.request.routing_exception;
  if (!routing || routing->class_name() != error.class_name()) {
    emit_(Phase::Error, request_id(ctx.request.environ), trace::kServerInternals,
          error.class_name() + " raised in " + view_name(ctx) +
              ": handle_user_exception answers with its " + std::to_string(error.code()) + " page",
          {{"app.state", "Error: " + error.class_name()}},
          {{"exception", error.class_name()}, {"message", error.what()}, {"status", error.code()}});
  }
  return error.get_response();
}

ResponseReturnValue Flask::handle_exception(RequestContext& ctx, std::exception_ptr error) {
  const auto [name, message] = describe(std::move(error));
  emit_(Phase::Error, request_id(ctx.request.environ), trace::kServerInternals,
        name + " raised in " + view_name(ctx) +
            ": handle_exception logs the traceback and answers 500 Internal Server Error",
        {{"app.state", "Error: " + name}},
        {{"exception", name}, {"message", message}, {"status", 500}});
  log_exception(ctx, name, message);
  return InternalServerError().get_response();
}

Response Flask::finalize_request(RequestContext& ctx, ResponseReturnValue rv) {
  // request_finished is sent after process_response.
  return process_response(ctx, make_response(ctx, std::move(rv)));
}

Response Flask::process_response(RequestContext& ctx, Response response) {
  const std::size_t count = after_request_funcs.size();
  emit_(Phase::ProcessResponse, request_id(ctx.request.environ), trace::kFrameworkInternals,
        "process_response(): " +
            (count == 0 ? std::string("the after_request functions (none)")
                        : std::to_string(count) + " after_request function" +
                              (count == 1 ? "" : "s") + ", the last registered first") +
            "; the session is a NullSession, so nothing is saved",
        {}, {{"after_request_funcs", count}, {"session", "NullSession: not saved"}});
  for (auto after = after_request_funcs.rbegin(); after != after_request_funcs.rend(); ++after)
    response = (*after)(std::move(response));
  return response;
}

void Flask::do_teardown_request(RequestContext& ctx, const std::exception_ptr& error) {
  const std::size_t count = teardown_request_funcs.size();
  nlohmann::json data = {{"teardown_request_funcs", count}, {"exc", nullptr}};
  if (error) data["exc"] = describe(error).first;
  emit_(Phase::Teardown, request_id(ctx.request.environ), trace::kFrameworkInternals,
        "wsgi_app's finally pops the request context: do_teardown_request runs " +
            (count == 0
                 ? std::string("the teardown_request functions (none)")
                 : std::to_string(count) + " teardown_request function" + (count == 1 ? "" : "s")) +
            ", then the app context pops; all before the server sends the body",
        {}, data);
  for (auto teardown = teardown_request_funcs.rbegin(); teardown != teardown_request_funcs.rend();
       ++teardown)
    (*teardown)(error);
}

Response Flask::make_response(RequestContext& ctx, ResponseReturnValue rv) {
  Response response = std::visit(
      [](auto&& value) -> Response {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, Response>) {
          return std::forward<decltype(value)>(value);
        } else {
          Response made = value.generator ? Response(std::move(value.generator), value.status,
                                                     std::move(value.content_type))
                                          : Response(std::move(value.body), value.status,
                                                     std::move(value.content_type));
          // headers.update(...): a name given again replaces, a repeat within the list adds.
          std::vector<std::string> seen;
          for (auto& [name, text] : value.headers) {
            std::string key = name;
            for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
              made.headers.emplace_back(name, std::move(text));
            } else {
              made.set_header(name, std::move(text));
              seen.push_back(std::move(key));
            }
          }
          return made;
        }
      },
      std::move(rv));
  emit_(Phase::MakeResponse, request_id(ctx.request.environ), trace::kFrameworkInternals,
        "make_response() turns the return value into a Response: " + response.status(), {},
        {{"status", response.status()}, {"headers", nlohmann::json(response.get_wsgi_headers())}});
  return response;
}

Response Flask::make_default_options_response(RequestContext& ctx) {
  Response response;
  std::string allow;
  for (const auto& method :
       ctx.url_adapter.allowed_methods(ctx.request.environ.get_or("PATH_INFO", "")))
    allow += (allow.empty() ? "" : ", ") + method;
  response.set_header("Allow", allow);
  return response;
}

void Flask::log_exception(RequestContext& ctx, const std::string& name,
                          const std::string& message) {
  // The frames are the calls this code really made on the way to the view. One record, one
  // write, as logging's StreamHandler.emit does.
  std::string errors = "[";
  errors += log_timestamp();
  errors += "] ERROR in app: Exception on " + ctx.request.path + " [" + ctx.request.method + "]\n";
  errors += "Traceback (most recent call last):\n";
  errors += "  File \"flask/app.py\", in wsgi_app\n    response = self.full_dispatch_request()\n";
  errors += "  File \"flask/app.py\", in full_dispatch_request\n    rv = self.dispatch_request()\n";
  errors +=
      "  File \"flask/app.py\", in dispatch_request\n"
      "    return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)\n";
  if (!ctx.request.endpoint.empty())
    errors += "  File \"" + import_name + ".py\", in " + ctx.request.endpoint + "\n";
  errors += (message.empty() ? name : name + ": " + message) + "\n";
  ctx.request.environ.errors.write(errors, emit_, request_id(ctx.request.environ));
}

}  // namespace reqtrace::flask
