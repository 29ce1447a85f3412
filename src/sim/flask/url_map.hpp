// Werkzeug's Map (Flask's app.url_map) and MapAdapter: the rules, and matching a request to one.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/flask/converters.hpp"
#include "sim/flask/matcher.hpp"
#include "sim/flask/rule.hpp"
#include "sim/wsgi/environ.hpp"

namespace reqtrace::flask {

class Map;

struct MatchResult {
  const Rule* rule = nullptr;
  ViewArgs view_args;
};

// What matching one request came to, and why, for the trace. Werkzeug only
// raises; this keeps the reason a student wants to read next to the outcome.
struct MatchOutcome {
  enum class Kind { Matched, NotFound, MethodNotAllowed, Redirect } kind = Kind::NotFound;
  const Rule* rule = nullptr;              // Matched
  ViewArgs view_args;                      // Matched
  std::vector<std::string> valid_methods;  // MethodNotAllowed, sorted
  std::string new_url;                     // Redirect: absolute, with the query string
  std::string reason;                      // a sentence for the trace

  int code() const;  // 200, 404, 405 or 308
  // The exception's Python class: "NotFound", "MethodNotAllowed" or "RequestRedirect".
  std::string_view class_name() const;
  // Throws what Werkzeug raises: NotFound, MethodNotAllowed or RequestRedirect.
  [[noreturn]] void raise() const;
};

// A Map bound to one request's host, script name, scheme and query string:
// url_map.bind_to_environ(environ), which Flask keeps as the request's url_adapter.
class MapAdapter {
 public:
  MapAdapter(const Map& map, std::string server_name, std::string script_name,
             std::string url_scheme, std::string query_args);

  // The rule and its typed view_args; throws NotFound, MethodNotAllowed or RequestRedirect.
  MatchResult match(std::string_view path_info, std::string_view method) const;
  // The same, as an outcome instead of an exception.
  MatchOutcome try_match(std::string_view path_info, std::string_view method) const;
  // Every method some rule accepts for this path: what OPTIONS answers in Allow.
  std::vector<std::string> allowed_methods(std::string_view path_info) const;
  // "http://<host>/<script name>/<path>?<query>": where a RequestRedirect points.
  std::string make_redirect_url(std::string_view path_info) const;

  const std::string& server_name() const { return server_name_; }
  const std::string& url_scheme() const { return url_scheme_; }

 private:
  const Map* map_;
  std::string server_name_;
  std::string script_name_;  // always ends in "/"
  std::string url_scheme_;
  std::string query_args_;
};

class Map {
 public:
  explicit Map(bool merge_slashes = true) : matcher_(merge_slashes) {}
  Map(const Map&) = delete;
  Map& operator=(const Map&) = delete;

  // url_map.add(Rule(...)). Add every rule before serving: matching only reads.
  const Rule& add(Rule rule);
  const std::vector<std::unique_ptr<Rule>>& iter_rules() const { return rules_; }

  MapAdapter bind(std::string server_name, std::string script_name = "/",
                  std::string url_scheme = "http", std::string query_args = "") const;
  // Host from HTTP_HOST (or SERVER_NAME and SERVER_PORT), SCRIPT_NAME,
  // wsgi.url_scheme and QUERY_STRING, as Werkzeug reads them.
  MapAdapter bind_to_environ(const wsgi::Environ& environ) const;

  // bind(host, "/", scheme, query).match(path, method), for one-off questions.
  MatchResult match(std::string_view path, std::string_view method, std::string_view host,
                    std::string_view query = "", std::string_view scheme = "http") const;

  const StateMachineMatcher& matcher() const { return matcher_; }

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
  StateMachineMatcher matcher_;
};

}  // namespace reqtrace::flask
