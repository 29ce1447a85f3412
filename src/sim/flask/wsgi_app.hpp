// The callable behind app.wsgi_app, which middleware wraps, and the request id its events carry.
#pragma once

#include <functional>
#include <memory>

#include "sim/wsgi/application.hpp"

namespace reqtrace::flask {

// Anything with the WSGI signature: Flask.wsgi_app itself, or a middleware around it.
using WsgiApp =
    std::function<std::unique_ptr<wsgi::ResponseIterable>(wsgi::Environ&, wsgi::StartResponse&)>;

// environ["reqtrace.req"]: the id the server gave this request, so the app's
// events join the server's on the timeline; 0 when it is absent or not a number.
int request_id(const wsgi::Environ& environ);

}  // namespace reqtrace::flask
