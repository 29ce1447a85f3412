// Flask's RequestContext: one request's Request and url_adapter, from push() to pop().
#pragma once

#include "sim/flask/request.hpp"
#include "sim/flask/url_map.hpp"

namespace reqtrace::flask {

// Flask pushes one when wsgi_app starts and pops it when wsgi_app ends; the pop
// is when teardown_request functions run. Views reach it as the `request` global;
// here it is passed along explicitly.
class RequestContext {
 public:
  RequestContext(const Map& url_map, wsgi::Environ& env)
      : request(env), url_adapter(url_map.bind_to_environ(env)) {}

  Request request;
  MapAdapter url_adapter;

  // url_adapter.match for this request. On a match it fills request.url_rule,
  // endpoint and view_args; otherwise the outcome says which exception to raise.
  MatchOutcome match_request() {
    MatchOutcome outcome =
        url_adapter.try_match(request.environ.get_or("PATH_INFO", ""), request.method);
    if (outcome.kind == MatchOutcome::Kind::Matched) {
      request.url_rule = outcome.rule;
      request.endpoint = outcome.rule->endpoint();
      request.view_args = outcome.view_args;
    }
    return outcome;
  }
};

}  // namespace reqtrace::flask
