// What one call of a Python WSGI app shares with the callables and streams it was handed.
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "sim/python/interpreter.hpp"
#include "sim/wsgi/application.hpp"
#include "sim/wsgi/errors_stream.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::python {

struct AppCall {
  // The server's start_response; null once the response is closed, when a late call is an error.
  wsgi::StartResponse* start_response = nullptr;
  // What the app passed to write(): sent before the iterable's first chunk (PEP 3333's write()
  // may buffer "for transmission", as long as the order is kept).
  std::deque<std::string> written;
  // wsgi.errors, and who says what is written to it: the app's voice, as request `req`.
  wsgi::ErrorsStream errors;
  trace::Emitter voice;
  int req = 0;
};

// The start_response callable PEP 3333 hands the app; it returns `write`. Needs the GIL.
Ref make_start_response(const std::shared_ptr<AppCall>& call);

// wsgi.errors: a text stream with write, writelines and flush. Needs the GIL.
Ref make_error_stream(const std::shared_ptr<AppCall>& call);

}  // namespace reqtrace::python
