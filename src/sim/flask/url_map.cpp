#include "sim/flask/url_map.hpp"

#include <cctype>

#include "sim/flask/form.hpp"
#include "sim/flask/http_exceptions.hpp"

namespace reqtrace::flask {
namespace {

std::string join_methods(const std::vector<std::string>& methods) {
  std::string out;
  for (const auto& method : methods) out += (out.empty() ? "" : ", ") + method;
  return out;
}

}  // namespace

int MatchOutcome::code() const {
  switch (kind) {
    case Kind::Matched:
      return 200;
    case Kind::NotFound:
      return 404;
    case Kind::MethodNotAllowed:
      return 405;
    case Kind::Redirect:
      return 308;
  }
  return 404;
}

std::string_view MatchOutcome::class_name() const {
  switch (kind) {
    case Kind::MethodNotAllowed:
      return "MethodNotAllowed";
    case Kind::Redirect:
      return "RequestRedirect";
    case Kind::Matched:
    case Kind::NotFound:
      break;
  }
  return "NotFound";
}

void MatchOutcome::raise() const {
  switch (kind) {
    case Kind::MethodNotAllowed:
      throw MethodNotAllowed(valid_methods);
    case Kind::Redirect:
      throw RequestRedirect(new_url);
    case Kind::Matched:
    case Kind::NotFound:
      break;
  }
  throw NotFound();
}

MapAdapter::MapAdapter(const Map& map, std::string server_name, std::string script_name,
                       std::string url_scheme, std::string query_args)
    : map_(&map),
      server_name_(std::move(server_name)),
      script_name_(std::move(script_name)),
      url_scheme_(std::move(url_scheme)),
      query_args_(std::move(query_args)) {
  if (!script_name_.ends_with("/")) script_name_ += "/";
  if (url_scheme_.empty()) url_scheme_ = "http";
}

MatchOutcome MapAdapter::try_match(std::string_view path_info, std::string_view method) const {
  // Werkzeug matches "/" + path_info.lstrip("/"), or "" for an empty path.
  std::string path;
  if (!path_info.empty()) {
    const std::size_t first = path_info.find_first_not_of('/');
    path = "/";
    if (first != std::string_view::npos) path += path_info.substr(first);
  }

  const auto result = map_->matcher().match(path, method);
  MatchOutcome outcome;
  std::string shown = "'";
  shown += path_info;
  shown += '\'';
  switch (result.kind) {
    case StateMachineMatcher::Result::Kind::Matched:
      outcome.kind = MatchOutcome::Kind::Matched;
      outcome.rule = result.rule;
      outcome.view_args = result.view_args;
      outcome.reason = std::string(method) + " " + shown + " matches rule '" + result.rule->rule() +
                       "' (endpoint '" + result.rule->endpoint() + "')";
      break;
    case StateMachineMatcher::Result::Kind::RequestPath:
      outcome.kind = MatchOutcome::Kind::Redirect;
      outcome.new_url = make_redirect_url(url_quote(result.path, "!$&'()*+,/:;=@"));
      outcome.reason =
          result.slash_required
              ? "only '" + result.path +
                    "' with a trailing slash matches a rule, and strict_slashes redirects there"
              : "repeated slashes are merged: the rule matches '" + result.path + "'";
      break;
    case StateMachineMatcher::Result::Kind::NoMatch:
      if (!result.have_match_for.empty()) {
        outcome.kind = MatchOutcome::Kind::MethodNotAllowed;
        outcome.valid_methods.assign(result.have_match_for.begin(), result.have_match_for.end());
        outcome.reason = "a rule matches " + shown + " but not the method " + std::string(method) +
                         "; it allows " + join_methods(outcome.valid_methods);
      } else {
        outcome.kind = MatchOutcome::Kind::NotFound;
        outcome.reason = result.converter_refused
                             ? "a converter refused a value in " + shown + " (ValidationError)"
                             : "no rule matches " + shown;
      }
      break;
  }
  return outcome;
}

MatchResult MapAdapter::match(std::string_view path_info, std::string_view method) const {
  MatchOutcome outcome = try_match(path_info, method);
  if (outcome.kind != MatchOutcome::Kind::Matched) outcome.raise();
  return {outcome.rule, std::move(outcome.view_args)};
}

std::vector<std::string> MapAdapter::allowed_methods(std::string_view path_info) const {
  // Werkzeug asks for a method no rule has, "--", and reads the 405's valid methods.
  const MatchOutcome outcome = try_match(path_info, "--");
  if (outcome.kind == MatchOutcome::Kind::MethodNotAllowed) return outcome.valid_methods;
  return {};
}

std::string MapAdapter::make_redirect_url(std::string_view path_info) const {
  // posixpath.join(script_name[:-1].lstrip("/"), path_info.lstrip("/"))
  std::string script = script_name_.substr(0, script_name_.size() - 1);
  script.erase(0, script.find_first_not_of('/') == std::string::npos
                      ? script.size()
                      : script.find_first_not_of('/'));
  const std::size_t first = path_info.find_first_not_of('/');
  const std::string path(first == std::string_view::npos ? "" : path_info.substr(first));
  const std::string joined = script.empty() ? path : script + "/" + path;
  return url_scheme_ + "://" + server_name_ + "/" + joined +
         (query_args_.empty() ? "" : "?" + query_args_);
}

const Rule& Map::add(Rule rule) {
  rules_.push_back(std::make_unique<Rule>(std::move(rule)));
  matcher_.add(*rules_.back());
  return *rules_.back();
}

MapAdapter Map::bind(std::string server_name, std::string script_name, std::string url_scheme,
                     std::string query_args) const {
  return MapAdapter(*this, std::move(server_name), std::move(script_name), std::move(url_scheme),
                    std::move(query_args));
}

MapAdapter Map::bind_to_environ(const wsgi::Environ& env) const {
  const std::string scheme = env.get_or("wsgi.url_scheme", "http");
  std::string host;
  if (const auto header = env.get("HTTP_HOST")) {
    host = std::string(*header);
  } else {
    host = env.get_or("SERVER_NAME", "localhost");
    if (const auto port = env.get("SERVER_PORT")) {
      host += ':';
      host += *port;
    }
  }
  // The default port of the scheme is left out of the URL, as Werkzeug's get_host does.
  if ((scheme == "http" && host.ends_with(":80")) || (scheme == "https" && host.ends_with(":443")))
    host.erase(host.rfind(':'));
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return bind(std::move(host), env.get_or("SCRIPT_NAME", ""), scheme,
              env.get_or("QUERY_STRING", ""));
}

MatchResult Map::match(std::string_view path, std::string_view method, std::string_view host,
                       std::string_view query, std::string_view scheme) const {
  return bind(std::string(host), "/", std::string(scheme), std::string(query)).match(path, method);
}

}  // namespace reqtrace::flask
