// Flask's request object: what a view reads about the request it answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/flask/converters.hpp"
#include "sim/flask/multidict.hpp"
#include "sim/flask/rule.hpp"
#include "sim/flask/url_map.hpp"
#include "sim/wsgi/application.hpp"

namespace reqtrace::flask {

class Request {
 public:
  explicit Request(wsgi::Environ& environ);

  wsgi::Environ& environ;
  std::string method;        // REQUEST_METHOD
  std::string path;          // "/" + PATH_INFO without its leading slashes
  std::string query_string;  // QUERY_STRING, still encoded
  MultiDict args;            // the query string, decoded
  // The HTTP_* keys turned back into header names ("HTTP_USER_AGENT" -> "User-Agent"),
  // plus Content-Type and Content-Length, as Werkzeug's EnvironHeaders shows them.
  wsgi::Headers headers;

  // Set by ctx.push() when the URL is matched.
  const Rule* url_rule = nullptr;
  std::string endpoint;
  ViewArgs view_args;
  // Set by ctx.push() when it is not: the NotFound, MethodNotAllowed or
  // RequestRedirect that dispatch_request will raise.
  std::optional<MatchOutcome> routing_exception;

  // headers.get(name), case-insensitive.
  std::optional<std::string> get_header(std::string_view name) const;
  // The Content-Type without its parameters, lower case: "application/x-www-form-urlencoded".
  std::string mimetype() const;

  // request.form: an application/x-www-form-urlencoded body, decoded. Read from
  // wsgi.input the first time a view asks, as Werkzeug's cached property does,
  // so a view that never looks at the form never consumes the body.
  const MultiDict& form() const;

 private:
  mutable std::optional<MultiDict> form_;
};

}  // namespace reqtrace::flask
