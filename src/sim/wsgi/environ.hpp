// The WSGI environ dict (PEP 3333): CGI-style variables plus the wsgi.* keys.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sim/wsgi/errors_stream.hpp"
#include "sim/wsgi/input_stream.hpp"

namespace reqtrace::wsgi {

struct Environ {
  // Every string-valued key: REQUEST_METHOD, SCRIPT_NAME, PATH_INFO, QUERY_STRING,
  // CONTENT_TYPE, CONTENT_LENGTH, SERVER_NAME, SERVER_PORT, SERVER_PROTOCOL,
  // REMOTE_ADDR, REMOTE_PORT, HTTP_*, wsgi.url_scheme.
  std::map<std::string, std::string> vars;

  // The non-string wsgi.* keys.
  int version_major = 1, version_minor = 0;  // wsgi.version
  InputStream input;                         // wsgi.input
  ErrorsStream errors;                       // wsgi.errors
  bool multithread = false;
  bool multiprocess = false;
  bool run_once = false;

  std::optional<std::string_view> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string_view fallback) const;
  // The trace's request number, which the server put in "reqtrace.req"; 0 when there is none.
  int request_number() const;

  // As a student would read it in the inspector: every key, sorted, Python-style values.
  nlohmann::json to_json() const;
};

}  // namespace reqtrace::wsgi
