// A scenario's routes as Flask views: the app that `reqtrace run` serves, built from the scenario.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/flask/converters.hpp"
#include "sim/flask/flask_app.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::topology {

// The view for one route. It sleeps returns.delay_ms (a slow page); raises
// returns.raise if set; reads request.form[returns.echo] if set (a missing field
// is Flask's BadRequestKeyError, a 400); then returns the body with its
// placeholders filled, the status, content type and extra headers, or, for
// returns.stream, a generator yielding each chunk.
flask::View make_scenario_view(const scenario::Route& route);

// "Hello, {name}!" with {name} from view_args (ints as ints, floats as Python
// prints them) or, when `echo_field` is that name, from `echo_value`. Other
// braces are left as they are.
std::string fill_placeholders(std::string_view text, const flask::ViewArgs& view_args,
                              std::string_view echo_field = {}, std::string_view echo_value = {});

// Flask("app") with one add_url_rule per route, then app.wsgi_app wrapped in the
// middleware, `middleware` listing them outermost first. Throws
// std::invalid_argument for a bad rule, a repeated endpoint or an unknown middleware.
std::unique_ptr<flask::Flask> build_app(const std::vector<scenario::Route>& routes,
                                        const std::vector<std::string>& middleware,
                                        trace::Emitter emitter);

}  // namespace reqtrace::topology
