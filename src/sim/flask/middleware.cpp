#include "sim/flask/middleware.hpp"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace reqtrace::flask {
namespace {

// parse_list_header, simplified: the comma-separated values, trimmed.
std::vector<std::string> parse_list(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find(',', start);
    if (end == std::string_view::npos) end = value.size();
    std::string_view item = value.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

// _get_real_value: the value `trusted` places from the end, which the last trusted proxy wrote.
std::optional<std::string> real_value(int trusted, std::optional<std::string_view> header) {
  if (trusted <= 0 || !header || header->empty()) return std::nullopt;
  const auto values = parse_list(*header);
  if (values.size() < static_cast<std::size_t>(trusted)) return std::nullopt;
  return values[values.size() - static_cast<std::size_t>(trusted)];
}

std::string python_repr(std::optional<std::string_view> value) {
  if (!value) return "None";
  std::string out = "'";
  out += *value;
  out += '\'';
  return out;
}

class TimedStartResponse : public wsgi::StartResponse {
 public:
  TimedStartResponse(wsgi::StartResponse& inner, std::chrono::steady_clock::time_point start,
                     const trace::Emitter& emit, int req)
      : inner_(inner), start_(start), emit_(emit), req_(req) {}

  void operator()(const std::string& status, const wsgi::Headers& headers, bool exc_info) override {
    const std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start_;
    char value[48];
    std::snprintf(value, sizeof value, "app;dur=%.3f", elapsed.count());
    wsgi::Headers with_timing = headers;
    with_timing.emplace_back("Server-Timing", value);
    emit_(trace::Phase::Middleware, req_, trace::kFrameworkInternals,
          std::string("timing middleware adds Server-Timing: ") + value +
              " and passes start_response on",
          {}, {{"middleware", "timing"}, {"header", {"Server-Timing", value}}});
    inner_(status, with_timing, exc_info);
  }

 private:
  wsgi::StartResponse& inner_;
  std::chrono::steady_clock::time_point start_;
  const trace::Emitter& emit_;
  int req_;
};

}  // namespace

ProxyFix::ProxyFix(WsgiApp app, trace::Emitter emitter, int x_for, int x_proto, int x_host)
    : app_(std::move(app)),
      emit_(std::move(emitter)),
      x_for_(x_for),
      x_proto_(x_proto),
      x_host_(x_host) {}

std::unique_ptr<wsgi::ResponseIterable> ProxyFix::operator()(wsgi::Environ& env,
                                                             wsgi::StartResponse& start_response) {
  const auto get = [&](std::string_view key) { return env.get(key); };
  // werkzeug.proxy_fix.orig is a dict in Python; our environ holds strings, so it
  // is kept as that dict's repr.
  std::string orig = "{";
  for (const char* key : {"REMOTE_ADDR", "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME",
                          "SERVER_PORT", "SCRIPT_NAME"}) {
    if (orig.size() > 1) orig += ", ";
    orig += '\'';
    orig += key;
    orig += "': ";
    orig += python_repr(get(key));
  }
  orig += "}";

  nlohmann::json changed = nlohmann::json::object();
  const auto set = [&](const std::string& key, const std::string& value) {
    changed[key] = {env.get_or(key, ""), value};
    env.vars[key] = value;
  };
  if (const auto x_for = real_value(x_for_, get("HTTP_X_FORWARDED_FOR")))
    set("REMOTE_ADDR", *x_for);
  if (const auto x_proto = real_value(x_proto_, get("HTTP_X_FORWARDED_PROTO")))
    set("wsgi.url_scheme", *x_proto);
  if (const auto x_host = real_value(x_host_, get("HTTP_X_FORWARDED_HOST"))) {
    set("HTTP_HOST", *x_host);
    // "]" ends an IPv6 address without a port.
    if (x_host->find(':') != std::string::npos && !x_host->ends_with("]")) {
      const std::size_t colon = x_host->rfind(':');
      set("SERVER_NAME", x_host->substr(0, colon));
      set("SERVER_PORT", x_host->substr(colon + 1));
    } else {
      set("SERVER_NAME", *x_host);
    }
  }
  env.vars["werkzeug.proxy_fix.orig"] = orig;

  emit_(trace::Phase::Middleware, request_id(env), trace::kFrameworkInternals,
        changed.empty() ? "ProxyFix middleware runs: no X-Forwarded-* headers, environ unchanged"
                        : "ProxyFix middleware runs: environ rewritten from X-Forwarded-*",
        {{"app.state", "ProxyFix running"}},
        {{"middleware", "proxy_fix"},
         {"class", "werkzeug.middleware.proxy_fix.ProxyFix"},
         {"changed", changed},
         {"werkzeug.proxy_fix.orig", orig}});
  return app_(env, start_response);
}

TimingMiddleware::TimingMiddleware(WsgiApp app, trace::Emitter emitter)
    : app_(std::move(app)), emit_(std::move(emitter)) {}

std::unique_ptr<wsgi::ResponseIterable> TimingMiddleware::operator()(
    wsgi::Environ& env, wsgi::StartResponse& start_response) {
  const int req = request_id(env);
  emit_(trace::Phase::Middleware, req, trace::kFrameworkInternals,
        "timing middleware runs: starts its clock and wraps start_response",
        {{"app.state", "timing middleware running"}}, {{"middleware", "timing"}});
  // Our apps call start_response before they return, so the wrapper may live on
  // this stack frame. (A WSGI app may call it later, from the first next(); one
  // that did would need the wrapper kept alive with the iterable.)
  TimedStartResponse timed(start_response, std::chrono::steady_clock::now(), emit_, req);
  return app_(env, timed);
}

const std::vector<std::string_view>& middleware_names() {
  // The scenario format lists the same names (scenario::kMiddlewareNames); a test keeps them equal.
  static const std::vector<std::string_view> names = {"proxy_fix", "timing"};
  return names;
}

WsgiApp make_middleware(std::string_view name, WsgiApp app, trace::Emitter emitter) {
  if (name == "proxy_fix") return ProxyFix(std::move(app), std::move(emitter));
  if (name == "timing") return TimingMiddleware(std::move(app), std::move(emitter));
  std::string known;
  for (const auto& candidate : middleware_names())
    known += (known.empty() ? "" : ", ") + std::string(candidate);
  throw std::invalid_argument("unknown middleware '" + std::string(name) + "' (known: " + known +
                              ")");
}

}  // namespace reqtrace::flask
