#include "sim/flask/wsgi_app.hpp"

namespace reqtrace::flask {

int request_id(const wsgi::Environ& env) {
  return env.request_number();
}

}  // namespace reqtrace::flask
