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

nlohmann::json view_args_json(const ViewArgs& view_args) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& arg : view_args)
    std::visit([&out, &arg](const auto& v) { out[arg.first] = v; }, arg.second);
  return out;
}

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
  url_map.add(std::move(made));
  if (view) view_functions[endpoint] = std::move(view);
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
        "Flask.__call__(environ, start_response) hands over to self.wsgi_app", {},
        {{"app", import_name}, {"wsgi_app", chain}});
  return wsgi_app(env, start_response);
}

std::unique_ptr<wsgi::ResponseIterable> Flask::flask_wsgi_app(wsgi::Environ& env,
                                                              wsgi::StartResponse& start_response) {
  const int req = request_id(env);
  RequestContext ctx(url_map, env);  // ctx.push()
  // ctx.pop() runs in wsgi_app's `finally`: before the server sends the body.
  const auto pop = [&] {
    emit_(Phase::Teardown, req, trace::kFrameworkInternals,
          "wsgi_app pops the request context: teardown_request functions run now, before the "
          "server sends the body");
  };
  std::unique_ptr<wsgi::ResponseIterable> body;
  try {
    std::optional<Response> response;
    try {
      response = full_dispatch_request(ctx);
    } catch (...) {
      response = finalize_request(ctx, handle_exception(ctx, std::current_exception()));
    }
    response->call_on_close([emit = emit_, req] {
      emit(Phase::Close, req, trace::kFrameworkInternals,
           "The server calls close() on the response iterable: the app is done with the request",
           {{"app.state", "Idle"}});
    });
    body = (*response)(env, start_response);
  } catch (...) {
    pop();
    throw;
  }
  pop();
  return body;
}

Response Flask::full_dispatch_request(RequestContext& ctx) {
  emit_(Phase::Dispatch, request_id(ctx.request.environ), trace::kFrameworkInternals,
        "full_dispatch_request(): request_started, before_request hooks, then dispatch_request()");
  std::optional<ResponseReturnValue> rv;
  try {
    rv = dispatch_request(ctx);
  } catch (const HTTPException& error) {
    rv = handle_user_exception(ctx, error);
  }
  return finalize_request(ctx, std::move(*rv));
}

ResponseReturnValue Flask::dispatch_request(RequestContext& ctx) {
  const int req = request_id(ctx.request.environ);
  // Flask matches in RequestContext.push() and keeps a failure as
  // request.routing_exception, which dispatch_request raises. We match here,
  // where it is raised, so the trace reads in the order the outcome matters.
  const MatchOutcome outcome = ctx.match_request();
  if (outcome.kind == MatchOutcome::Kind::Matched) {
    const Rule& rule = *outcome.rule;
    emit_(Phase::Match, req, trace::kFrameworkInternals,
          "url_map.match: " + ctx.request.method + " " + ctx.request.path + " -> rule " +
              rule.rule() + ", endpoint '" + rule.endpoint() + "'",
          {},
          {{"rule", rule.rule()},
           {"endpoint", rule.endpoint()},
           {"view_args", view_args_json(outcome.view_args)},
           {"methods", rule.methods()}});
  } else {
    nlohmann::json data = {{"outcome", outcome.code()}, {"reason", outcome.reason}};
    if (outcome.kind == MatchOutcome::Kind::MethodNotAllowed)
      data["valid_methods"] = outcome.valid_methods;
    if (outcome.kind == MatchOutcome::Kind::Redirect) data["new_url"] = outcome.new_url;
    emit_(Phase::Match, req, trace::kFrameworkInternals,
          "url_map.match: " + std::to_string(outcome.code()) + " " +
              std::string(status_phrase(outcome.code())) + ": " + outcome.reason,
          {}, data);
    outcome.raise();  // raise_routing_exception
  }

  const Rule& rule = *ctx.request.url_rule;
  if (rule.provide_automatic_options && ctx.request.method == "OPTIONS")
    return make_default_options_response(ctx);

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
  // A routing exception was already shown at match; one the view raised is news.
  if (ctx.request.url_rule != nullptr) {
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
  // after_request functions would run here, on the Response make_response built.
  return make_response(ctx, std::move(rv));
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
  // The frames are the calls this code really made on the way to the view.
  std::string& errors = ctx.request.environ.errors;
  errors += '[';
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
}

}  // namespace reqtrace::flask
