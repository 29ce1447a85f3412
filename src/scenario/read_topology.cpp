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
//   "server"      an object:
//       "model"            "dev" (the default), "threaded", "prefork", "fork-per-request" or "cgi"
//       "workers"          an integer from 1 to 64: threads or processes, by model; when not
//                          given, 1, except fork-per-request's cap of 40 children
//       "max_body_bytes"   an integer of at least 0, default 1048576
//       "read_timeout_ms"  an integer from 1 to 600000, default 5000: a client silent this
//                          long in the middle of a request is cut off
//       "header_timeout_ms" an integer from 1 to 600000, default 10000: the whole request
//                          line and headers must arrive this soon after their first byte,
//                          so a client dripping a byte at a time (slowloris) is cut off too
//       "keep_alive"       true or false, default false
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
  Fields fields(
      checker, value, pointer,
      {"model", "workers", "max_body_bytes", "read_timeout_ms", "header_timeout_ms", "keep_alive"});
  std::string model;
  if (fields.read("model", Need::Optional, model, [](const std::string& name) -> std::string {
        if (server_model_from(name) != ServerModel::Invalid) return "";
        return "expected one of dev, threaded, prefork, fork-per-request, cgi, got " +
               in_quotes(name);
      }))
    server.model = server_model_from(model);
  int workers = 0;
  if (fields.read("workers", Need::Optional, workers, 1, 64)) server.workers = workers;
  if (const json* bytes = fields.get("max_body_bytes")) {
    auto number = checker.integer(*bytes, fields.pointer("max_body_bytes"), 0,
                                  std::numeric_limits<std::int64_t>::max());
    if (number) server.max_body_bytes = static_cast<std::size_t>(*number);
  }
  fields.read("read_timeout_ms", Need::Optional, server.read_timeout_ms, 1, 600000);
  fields.read("header_timeout_ms", Need::Optional, server.header_timeout_ms, 1, 600000);
  fields.read("keep_alive", Need::Optional, server.keep_alive);
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

Proxy read_proxy(Checker& checker, const json& value, const std::string& pointer) {
  Proxy proxy;
  Fields fields(
      checker, value, pointer,
      {"static_root", "static_prefix", "upstream", "upstream_timeout_ms", "connect_timeout_ms"});
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
