#include "sim/topology/scenario_views.hpp"

#include <cctype>
#include <chrono>
#include <thread>

#include "sim/flask/middleware.hpp"
#include "sim/flask/python_exception.hpp"
#include "sim/flask/rule.hpp"

namespace reqtrace::topology {

using flask::Flask;
using flask::Generator;
using flask::Request;
using flask::View;
using flask::ViewArgs;
using flask::ViewReturn;

std::string fill_placeholders(std::string_view text, const ViewArgs& view_args,
                              std::string_view echo_field, std::string_view echo_value) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    if (open == std::string_view::npos) break;
    std::size_t end = open + 1;
    if (end < text.size() && flask::is_identifier_start(text[end]))
      while (end < text.size() && flask::is_identifier_char(text[end])) ++end;
    if (end == open + 1 || end >= text.size() || text[end] != '}') {
      out.append(text.substr(pos, open + 1 - pos));
      pos = open + 1;
      continue;
    }
    const std::string name(text.substr(open + 1, end - open - 1));
    out.append(text.substr(pos, open - pos));
    if (const auto found = view_args.find(name); found != view_args.end())
      out += flask::python_str(found->second);
    else if (!echo_field.empty() && name == echo_field)
      out += echo_value;
    else
      out.append(text.substr(open, end + 1 - open));
    pos = end + 1;
  }
  out.append(text.substr(pos));
  return out;
}

View make_scenario_view(const scenario::Route& route) {
  const scenario::Returns returns = route.returns;
  return [returns](const Request& request) -> ViewReturn {
    if (returns.delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(returns.delay_ms));
    if (!returns.raise.empty()) throw flask::PythonException(returns.raise);
    std::string echoed;
    if (!returns.echo.empty()) echoed = request.form()[returns.echo];

    const auto fill = [&](const std::string& text) {
      return fill_placeholders(text, request.view_args, returns.echo, echoed);
    };
    ViewReturn rv(fill(returns.body));
    if (!returns.stream.empty()) {
      std::vector<std::string> chunks;
      for (const auto& chunk : returns.stream) chunks.push_back(fill(chunk));
      // def generate(): yield from chunks
      rv = ViewReturn(Generator([chunks = std::move(chunks),
                                 next = std::size_t{0}]() mutable -> std::optional<std::string> {
        if (next >= chunks.size()) return std::nullopt;
        return chunks[next++];
      }));
    }
    rv.status = returns.status;
    rv.content_type = returns.content_type;
    for (const auto& [name, value] : returns.headers) rv.headers.emplace_back(name, value);
    return rv;
  };
}

std::unique_ptr<Flask> build_app(const std::vector<scenario::Route>& routes,
                                 const std::vector<std::string>& middleware,
                                 trace::Emitter emitter) {
  // Every name is checked before anything is built, so the error names the first bad one.
  for (const auto& name : middleware)
    flask::make_middleware(name, flask::WsgiApp(), trace::Emitter());
  auto app = std::make_unique<Flask>("app", std::move(emitter));
  for (const auto& route : routes)
    app->add_url_rule(route.rule, route.endpoint, make_scenario_view(route), route.methods,
                      route.strict_slashes);
  // Innermost first, so the first listed ends up outermost. (Not std::views::reverse: clang 14,
  // which builds the sanitizer presets, cannot compile libstdc++ 12's reverse_view.)
  for (auto name = middleware.rbegin(); name != middleware.rend(); ++name)
    app->wrap_wsgi_app(*name);
  return app;
}

}  // namespace reqtrace::topology
