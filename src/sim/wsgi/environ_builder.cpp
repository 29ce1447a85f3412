#include "sim/wsgi/environ_builder.hpp"

#include <cctype>

#include "sim/http/syntax.hpp"

namespace reqtrace::wsgi {

std::string http_variable_name(std::string_view field_name) {
  std::string key = "HTTP_";
  for (char c : field_name)
    key += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

Environ build_environ(const http::Request& request, const ConnectionInfo& connection,
                      const ServerTraits& traits, int req) {
  Environ environ;
  auto& vars = environ.vars;
  vars["REQUEST_METHOD"] = request.method;
  vars["SCRIPT_NAME"] = "";
  vars["PATH_INFO"] = percent_decode(request.path);
  vars["QUERY_STRING"] = request.query;
  vars["RAW_URI"] = request.target;
  vars["SERVER_PROTOCOL"] = request.version();
  vars["SERVER_NAME"] = connection.server_name;
  vars["SERVER_PORT"] = std::to_string(connection.server_port);
  vars["REMOTE_ADDR"] = connection.remote_addr;
  vars["REMOTE_PORT"] = std::to_string(connection.remote_port);
  vars["SERVER_SOFTWARE"] = traits.software;
  vars["wsgi.url_scheme"] = connection.url_scheme;
  vars["reqtrace.req"] = std::to_string(req);

  for (const auto& header : request.headers) {
    // A name with '_' would turn into the same key as its '-' twin, so
    // X_Forwarded_For could pose as X-Forwarded-For: drop it, as gunicorn does.
    if (header.name.find('_') != std::string::npos) continue;
    if (http::iequals(header.name, "Content-Type")) {
      vars["CONTENT_TYPE"] = header.value;
      continue;
    }
    if (http::iequals(header.name, "Content-Length")) {
      vars["CONTENT_LENGTH"] = header.value;
      continue;
    }
    // Repeated fields are joined with ',' (RFC 9110 5.3), as gunicorn does.
    auto [slot, inserted] = vars.emplace(http_variable_name(header.name), header.value);
    if (!inserted) slot->second += "," + header.value;
  }
  // The body is already de-chunked; the app reads exactly its length.
  if (request.chunked) vars["CONTENT_LENGTH"] = std::to_string(request.body.size());

  environ.input = InputStream(request.body);
  environ.multithread = traits.multithread;
  environ.multiprocess = traits.multiprocess;
  environ.run_once = traits.run_once;
  return environ;
}

}  // namespace reqtrace::wsgi
