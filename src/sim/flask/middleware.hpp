// WSGI middleware: an app wrapped around app.wsgi_app, as in app.wsgi_app = ProxyFix(app.wsgi_app).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/flask/wsgi_app.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::flask {

// A middleware is itself a WSGI app: it gets environ and start_response first,
// may change them, and calls the app it wraps.

// werkzeug.middleware.proxy_fix.ProxyFix(app, x_for=1, x_proto=1, x_host=1).
// Behind a proxy the app would see the proxy's address, scheme and host; the
// proxy says the client's in X-Forwarded-For, -Proto and -Host, and ProxyFix
// puts those into REMOTE_ADDR, wsgi.url_scheme and HTTP_HOST. It trusts only
// the last `x_*` values of each list: those the trusted proxies appended.
class ProxyFix : public wsgi::Application {
 public:
  ProxyFix(WsgiApp app, trace::Emitter emitter, int x_for = 1, int x_proto = 1, int x_host = 1);
  std::unique_ptr<wsgi::ResponseIterable> operator()(wsgi::Environ& environ,
                                                     wsgi::StartResponse& start_response) override;

 private:
  WsgiApp app_;
  trace::Emitter emit_;
  int x_for_, x_proto_, x_host_;
};

// Adds "Server-Timing: app;dur=<ms>": the time from entering the middleware to the
// app calling start_response. It wraps start_response, the only place a
// middleware can still add a header.
class TimingMiddleware : public wsgi::Application {
 public:
  TimingMiddleware(WsgiApp app, trace::Emitter emitter);
  std::unique_ptr<wsgi::ResponseIterable> operator()(wsgi::Environ& environ,
                                                     wsgi::StartResponse& start_response) override;

 private:
  WsgiApp app_;
  trace::Emitter emit_;
};

// The names a scenario may list under topology.middleware.
const std::vector<std::string_view>& middleware_names();

// The middleware called `name` wrapped around `app`. Throws
// std::invalid_argument for a name that is not in middleware_names().
WsgiApp make_middleware(std::string_view name, WsgiApp app, trace::Emitter emitter);

}  // namespace reqtrace::flask
