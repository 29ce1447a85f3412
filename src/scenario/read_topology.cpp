// "topology": how the stack is built. Optional, and so is each member:
//
//   "proxy"       null (the default: no proxy) or an object, the nginx-like proxy in front:
//       "static_root"         a folder under assets/ ("site") or an absolute path; default none:
//                             no static files, everything is forwarded
//       "static_prefix"       "/static/" by default: paths starting with it are static files;
//                             starts and ends with "/", plain path segments in between
//       "upstream"            "http" (the default: proxy_pass) or "uwsgi" (uwsgi_pass)
//       "upstream_timeout_ms" an integer from 1 to 600000, default 60000: an upstream silent this
//                             long is answered 504 (nginx's proxy_read_timeout)
//       "connect_timeout_ms"  an integer from 1 to 600000, default 60000 (proxy_connect_timeout)
//       "proxy_set_header"    an array of strings, each an nginx line without its directive:
//                             "X-Real-IP $remote_addr", "Accept-Encoding \"\"". A field name,
//                             then its value, which may use the variables in kProxyVariables
//                             and $http_NAME. Default none: only nginx's own defaults apply
//                             (Host $proxy_host, Connection close)
//       "proxy_buffering"     true (the default) or false
//   "server"      an object:
//       "model"            "dev" (the default: Werkzeug's BaseWSGIServer), "dev-threaded"
//                          (Werkzeug's ThreadedWSGIServer, what app.run() serves with),
//                          "threaded" (gunicorn's gthread), "prefork" (gunicorn's sync workers),
//                          "fork-per-request" (Werkzeug's ForkingWSGIServer) or "cgi"
//       "workers"          an integer from 1 to 64: threads or processes, by model; when not
//                          given, 1. dev and dev-threaded take none; fork-per-request requires it,
//                          at least 2: it is Werkzeug's processes=N, the cap on children
//                          (make_server forks only when N > 1)
//       "max_body_bytes"   an integer of at least 0, default 1048576
//       "read_timeout_ms"  an integer from 1 to 600000, default 5000: a client silent this
//                          long in the middle of a request is cut off
//       "header_timeout_ms" an integer from 1 to 600000, default 10000: the whole request
//                          line and headers must arrive this soon after their first byte,
//                          so a client dripping a byte at a time (slowloris) is cut off too
//       "keep_alive"       true or false, default false; true only with "threaded": gunicorn's
//                          gthread worker keeps connections open (its keepalive), while Werkzeug's
//                          servers always send Connection: close and gunicorn's sync worker
//                          forces the close
//       "timeout_ms"       an integer from 0 to 3600000, default 30000; prefork and threaded only:
//                          gunicorn's timeout, a worker silent this long is killed by its arbiter
//                          (SIGABRT, then SIGKILL) and replaced; 0: never
//       "preload"          true or false, default false; prefork and threaded only: gunicorn's
//                          --preload, the arbiter imports the app once before it forks
//   "middleware"  an array of strings: WSGI middleware wrapping wsgi_app, outermost first; each
//                 one of "proxy_fix" (Werkzeug's ProxyFix) or "timing" (adds Server-Timing).
#include <cctype>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>

#include "scenario/checker.hpp"
#include "scenario/sections.hpp"

namespace reqtrace::scenario {
namespace {

using nlohmann::json;

Server read_server(Checker& checker, const json& value, const std::string& pointer) {
  Server server;
  Fields fields(checker, value, pointer,
                {"model", "workers", "max_body_bytes", "read_timeout_ms", "header_timeout_ms",
                 "keep_alive", "timeout_ms", "preload"});
  std::string model;
  if (fields.read("model", Need::Optional, model, [](const std::string& name) -> std::string {
        if (server_model_from(name) != ServerModel::Invalid) return "";
        return "expected one of dev, dev-threaded, threaded, prefork, fork-per-request, cgi, got " +
               in_quotes(name);
      }))
    server.model = server_model_from(model);
  int workers = 0;
  const bool has_workers = fields.get("workers") != nullptr;
  if (fields.read("workers", Need::Optional, workers, 1, 64)) server.workers = workers;
  // werkzeug/serving.py make_server: processes > 1 makes a ForkingWSGIServer with max_children =
  // processes; processes=1 is the one-at-a-time BaseWSGIServer.
  if (server.model == ServerModel::ForkPerRequest && !has_workers)
    checker.report(fields.pointer(),
                   "fork-per-request needs \"workers\", at least 2: it is Werkzeug's processes=N, "
                   "the most children alive at once (make_server forks only when processes > 1)");
  else if ((server.model == ServerModel::Dev || server.model == ServerModel::DevThreaded) &&
           server.workers)
    checker.report(fields.pointer("workers"),
                   server.model == ServerModel::Dev
                       ? "model \"dev\" has no workers: Werkzeug's BaseWSGIServer serves one "
                         "connection at a time on its one thread"
                       : "model \"dev-threaded\" has no workers to count: Werkzeug's "
                         "ThreadedWSGIServer starts a new thread for each connection, no limit");
  else if (server.model == ServerModel::ForkPerRequest && server.workers && *server.workers < 2)
    checker.report(fields.pointer("workers"),
                   "fork-per-request needs at least 2 workers (Werkzeug's processes): with "
                   "processes=1 make_server gives the one-at-a-time server, model \"dev\"");
  if (const json* bytes = fields.get("max_body_bytes")) {
    auto number = checker.integer(*bytes, fields.pointer("max_body_bytes"), 0,
                                  std::numeric_limits<std::int64_t>::max());
    if (number) server.max_body_bytes = static_cast<std::size_t>(*number);
  }
  fields.read("read_timeout_ms", Need::Optional, server.read_timeout_ms, 1, 600000);
  fields.read("header_timeout_ms", Need::Optional, server.header_timeout_ms, 1, 600000);
  fields.read("keep_alive", Need::Optional, server.keep_alive);
  if (server.keep_alive && server.model != ServerModel::Threaded)
    checker.report(fields.pointer("keep_alive"),
                   "only model \"threaded\" can keep a connection open (gunicorn's gthread "
                   "keepalive); \"" +
                       std::string(name_of(server.model)) +
                       "\" closes after each response, as its real server does");
  // Both are gunicorn's settings: only its arbiter has workers to time out and an app to preload.
  const bool gunicorn =
      server.model == ServerModel::Prefork || server.model == ServerModel::Threaded;
  for (const char* name : {"timeout_ms", "preload"})
    if (fields.get(name) && !gunicorn)
      checker.report(fields.pointer(name),
                     std::string("only models \"prefork\" and \"threaded\" (gunicorn's arbiter) "
                                 "take \"") +
                         name + "\"; \"" + std::string(name_of(server.model)) +
                         "\" has no arbiter watching worker processes");
  fields.read("timeout_ms", Need::Optional, server.timeout_ms, 0, 3600000);
  fields.read("preload", Need::Optional, server.preload);
  return server;
}

// A path segment that names itself: no ".", "..", or characters a URL or a shell would read.
bool is_plain_segment(std::string_view segment) {
  if (segment.empty() || segment == "." || segment == "..") return false;
  for (char c : segment)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' &&
        c != '~')
      return false;
  return true;
}

bool is_plain_path(std::string_view path) {
  for (std::size_t start = 0;;) {
    const std::size_t slash = path.find('/', start);
    if (!is_plain_segment(path.substr(start, slash - start))) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::string check_static_root(const std::string& root) {
  if (!root.empty() && root[0] == '/' && root.find('\0') == std::string::npos) return "";
  if (is_plain_path(root)) return "";
  return "expected a folder under assets/ such as \"site\" (names of letters, digits, \"-\", "
         "\"_\" and \".\" joined by \"/\", no \"..\") or an absolute path, got " +
         in_quotes(root);
}

std::string check_static_prefix(const std::string& prefix) {
  if (prefix.size() >= 3 && prefix.front() == '/' && prefix.back() == '/' &&
      is_plain_path(std::string_view(prefix).substr(1, prefix.size() - 2)))
    return "";
  return R"(expected a path prefix that starts and ends with "/", such as "/static/", got )" +
         in_quotes(prefix);
}

// "Name value" as proxy_set_header takes them; the value "" (two quotes) stands for empty.
std::pair<std::string, std::string> split_header_line(std::string_view line) {
  const auto space = line.find_first_of(" \t");
  const std::string_view name = line.substr(0, space);
  std::string_view value =
      space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value == "\"\"") value = {};
  return {std::string(name), std::string(value)};
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
      return false;
  return true;
}

bool is_proxy_variable(std::string_view name) {
  if (name.substr(0, 5) == "http_" && name.size() > 5) return true;
  for (std::string_view known : kProxyVariables)
    if (name == known) return true;
  return false;
}

std::string check_header_line(const std::string& line) {
  const auto [name, value] = split_header_line(line);
  std::string expected =
      "expected a proxy_set_header line, a field name then its value, such as "
      "\"X-Real-IP $remote_addr\", got " +
      in_quotes(line);
  if (!is_token(name)) return expected;
  if (line.find_first_of(" \t") == std::string::npos)
    return expected + " (no value; write \"\" for an empty one)";
  for (char c : value)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return "the value of " + in_quotes(name) + " holds a control character";
  for (std::size_t at = value.find('$'); at != std::string::npos; at = value.find('$', at + 1)) {
    std::size_t end = at + 1;
    std::string variable;
    if (end < value.size() && value[end] == '{') {
      const auto close = value.find('}', end);
      if (close == std::string::npos)
        return "the value of " + in_quotes(name) + " opens \"${\" and never closes it";
      variable = value.substr(end + 1, close - end - 1);
    } else {
      while (end < value.size() &&
             (std::isalnum(static_cast<unsigned char>(value[end])) || value[end] == '_'))
        ++end;
      variable = value.substr(at + 1, end - at - 1);
    }
    if (!is_proxy_variable(variable)) {
      std::string known;
      for (std::string_view name_known : kProxyVariables)
        known.append(" $").append(name_known).append(",");
      std::string problem = "unknown nginx variable " + in_quotes("$" + variable);
      problem.append(" in ").append(in_quotes(name)).append("; expected one of");
      return problem.append(known).append(" or $http_NAME");
    }
  }
  return "";
}

Proxy read_proxy(Checker& checker, const json& value, const std::string& pointer) {
  Proxy proxy;
  Fields fields(checker, value, pointer,
                {"static_root", "static_prefix", "upstream", "upstream_timeout_ms",
                 "connect_timeout_ms", "proxy_set_header", "proxy_buffering"});
  fields.read("static_root", Need::Optional, proxy.static_root, check_static_root);
  fields.read("static_prefix", Need::Optional, proxy.static_prefix, check_static_prefix);
  std::string upstream;
  if (fields.read("upstream", Need::Optional, upstream, [](const std::string& name) -> std::string {
        if (upstream_protocol_from(name) != UpstreamProtocol::Invalid) return "";
        return "expected one of http, uwsgi, got " + in_quotes(name);
      }))
    proxy.upstream = upstream_protocol_from(upstream);
  fields.read("upstream_timeout_ms", Need::Optional, proxy.upstream_timeout_ms, 1, 600000);
  fields.read("connect_timeout_ms", Need::Optional, proxy.connect_timeout_ms, 1, 600000);
  std::vector<std::string> lines;
  if (fields.read("proxy_set_header", Need::Optional, lines, check_header_line))
    for (const auto& line : lines) proxy.proxy_set_header.push_back(split_header_line(line));
  fields.read("proxy_buffering", Need::Optional, proxy.proxy_buffering);
  return proxy;
}

}  // namespace

Topology read_topology(Checker& checker, const json& value, const std::string& pointer) {
  Topology topology;
  Fields fields(checker, value, pointer, {"proxy", "server", "middleware"});
  if (const json* proxy = fields.get("proxy")) {
    if (proxy->is_object())
      topology.proxy = read_proxy(checker, *proxy, fields.pointer("proxy"));
    else if (!proxy->is_null())
      checker.report(fields.pointer("proxy"),
                     "expected null or an object, got " + describe_value(*proxy));
  }
  if (const json* server = fields.get("server"))
    topology.server = read_server(checker, *server, fields.pointer("server"));
  fields.read("middleware", Need::Optional, topology.middleware);
  for (std::size_t i = 0; i < topology.middleware.size(); ++i)
    if (!is_middleware(topology.middleware[i]))
      checker.report(fields.pointer("middleware") + "/" + std::to_string(i),
                     "unknown middleware " + in_quotes(topology.middleware[i]) +
                         "; expected one of: proxy_fix, timing");
  return topology;
}

}  // namespace reqtrace::scenario
