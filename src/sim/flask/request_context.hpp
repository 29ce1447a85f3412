// Flask's RequestContext: one request's Request and url_adapter, from push() to pop().
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "sim/flask/request.hpp"
#include "sim/flask/url_map.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::flask {

// wsgi_app makes one and pushes it before anything else runs, and pops it in its
// `finally`, when teardown_request functions run. Views reach it as the `request`
// global; here it is passed along explicitly.
class RequestContext {
 public:
  // app.request_context(environ): the Request, and url_map bound to this environ.
  RequestContext(const Map& url_map, wsgi::Environ& env, trace::Emitter emitter);

  Request request;
  MapAdapter url_adapter;

  // ctx.push(): an app context, then this request context, then the session is
  // opened; last, match_request(). So the URL is matched before
  // full_dispatch_request runs anything (flask/ctx.py RequestContext.push).
  void push();
  // url_adapter.match: on a match it fills request.url_rule, endpoint and
  // view_args; a failure is not raised here but kept as
  // request.routing_exception, which dispatch_request raises.
  void match_request();

 private:
  trace::Emitter emit_;
};

// request.view_args as the inspector shows them: {"post_id": 7}, typed.
nlohmann::json view_args_json(const ViewArgs& view_args);

}  // namespace reqtrace::flask
