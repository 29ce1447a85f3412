#include "sim/server/uwsgi_environ.hpp"

#include "sim/http/syntax.hpp"

namespace reqtrace::server {
namespace {

// uWSGI: UWSGI_SCHEME when the proxy set it, else HTTPS=on|1 means https.
std::string url_scheme_of(const uwsgi::Vars& vars) {
  if (const auto* scheme = uwsgi::find_var(vars, "UWSGI_SCHEME"); scheme && !scheme->empty())
    return *scheme;
  if (const auto* https = uwsgi::find_var(vars, "HTTPS"))
    if (http::iequals(*https, "on") || *https == "1") return "https";
  return "http";
}

}  // namespace

UwsgiEnviron build_uwsgi_environ(const uwsgi::Vars& vars, std::string body,
                                 const wsgi::ServerTraits& traits, const Endpoint& server_address,
                                 int req) {
  UwsgiEnviron out;
  auto& environ = out.environ;
  // A repeated var ends up with its last value, as uWSGI's dict assignment leaves it.
  for (const auto& [key, value] : vars) environ.vars[key] = value;

  auto fill = [&](const std::string& key, const std::string& value) {
    if (environ.vars.emplace(key, value).second) out.filled_in.push_back(key);
  };
  fill("SCRIPT_NAME", "");
  fill("PATH_INFO", "");
  fill("QUERY_STRING", "");
  fill("SERVER_NAME", server_address.host);
  fill("SERVER_PORT", std::to_string(server_address.port));
  fill("SERVER_PROTOCOL", "HTTP/1.1");
  if (!environ.vars.count("SERVER_SOFTWARE")) environ.vars["SERVER_SOFTWARE"] = traits.software;

  environ.vars["wsgi.url_scheme"] = url_scheme_of(vars);
  environ.vars["reqtrace.req"] = std::to_string(req);
  environ.input = wsgi::InputStream(std::move(body));
  environ.multithread = traits.multithread;
  environ.multiprocess = traits.multiprocess;
  environ.run_once = traits.run_once;
  return out;
}

}  // namespace reqtrace::server
