#include "sim/flask/wsgi_app.hpp"

#include <charconv>

namespace reqtrace::flask {

int request_id(const wsgi::Environ& env) {
  const auto text = env.get("reqtrace.req");
  if (!text) return 0;
  int id = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (error != std::errc() || end != text->data() + text->size()) return 0;
  return id;
}

}  // namespace reqtrace::flask
