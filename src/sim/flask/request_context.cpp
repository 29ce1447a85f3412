#include "sim/flask/request_context.hpp"

#include <nlohmann/json.hpp>
#include <variant>

#include "sim/flask/wsgi_app.hpp"

namespace reqtrace::flask {

nlohmann::json view_args_json(const ViewArgs& view_args) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& arg : view_args)
    std::visit([&out, &arg](const auto& v) { out[arg.first] = v; }, arg.second);
  return out;
}

RequestContext::RequestContext(const Map& url_map, wsgi::Environ& env, trace::Emitter emitter)
    : request(env), url_adapter(url_map.bind_to_environ(env)), emit_(std::move(emitter)) {}

void RequestContext::push() {
  // Our app has no secret_key, so open_session gives None and push() makes a
  // NullSession, which process_response will not save.
  emit_(trace::Phase::PushContext, request_id(request.environ), trace::kFrameworkInternals,
        "wsgi_app calls ctx.push(): the app context (current_app, g) and the request context "
        "(request, session) become current, the session opens, then the URL is matched",
        {{"app.state", "Pushing the request context"}},
        {{"app_context", "pushed"},
         {"request_context", "pushed"},
         {"session", "NullSession (the app has no secret_key)"},
         {"url_adapter", url_adapter.url_scheme() + "://" + url_adapter.server_name()}});
  match_request();
}

void RequestContext::match_request() {
  const std::string path = request.environ.get_or("PATH_INFO", "");
  MatchOutcome outcome = url_adapter.try_match(path, request.method);
  const int req = request_id(request.environ);
  if (outcome.kind == MatchOutcome::Kind::Matched) {
    request.url_rule = outcome.rule;
    request.endpoint = outcome.rule->endpoint();
    request.view_args = outcome.view_args;
    const Rule& rule = *outcome.rule;
    emit_(trace::Phase::Match, req, trace::kFrameworkInternals,
          "ctx.push() -> match_request(): url_adapter.match: " + request.method + " " +
              request.path + " -> rule " + rule.rule() + ", endpoint '" + rule.endpoint() + "'",
          {{"app.state", "Matching the URL"}},
          {{"rule", rule.rule()},
           {"endpoint", rule.endpoint()},
           {"view_args", view_args_json(outcome.view_args)},
           {"methods", rule.methods()}});
    return;
  }
  nlohmann::json data = {{"outcome", outcome.code()},
                         {"reason", outcome.reason},
                         {"routing_exception", outcome.class_name()}};
  if (outcome.kind == MatchOutcome::Kind::MethodNotAllowed)
    data["valid_methods"] = outcome.valid_methods;
  if (outcome.kind == MatchOutcome::Kind::Redirect) data["new_url"] = outcome.new_url;
  const std::string name(outcome.class_name());
  emit_(trace::Phase::Match, req, trace::kFrameworkInternals,
        "ctx.push() -> match_request(): url_adapter.match raises " + name + " (" +
            std::to_string(outcome.code()) + "): " + outcome.reason +
            "; kept as request.routing_exception",
        {{"app.state", "Matching the URL"}}, data);
  request.routing_exception = std::move(outcome);
}

}  // namespace reqtrace::flask
