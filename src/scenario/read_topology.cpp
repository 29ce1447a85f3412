// "topology": how the stack is built. Optional, and so is each member:
//
//   "proxy"       null (the default: no proxy) or an object, kept as written; its members are
//                 not checked yet.
//   "server"      an object:
//       "model"            "dev" (the default), "threaded", "prefork", "fork-per-request" or "cgi"
//       "workers"          an integer from 1 to 64, default 1: threads or processes, by model
//       "max_body_bytes"   an integer of at least 0, default 1048576
//       "read_timeout_ms"  an integer from 1 to 600000, default 5000: a client silent this
//                          long in the middle of a request is cut off
//       "header_timeout_ms" an integer from 1 to 600000, default 10000: the whole request
//                          line and headers must arrive this soon after their first byte,
//                          so a client dripping a byte at a time (slowloris) is cut off too
//       "keep_alive"       true or false, default false
//   "middleware"  an array of strings: WSGI middleware wrapping wsgi_app, outermost first; each
//                 one of "proxy_fix" (Werkzeug's ProxyFix) or "timing" (adds Server-Timing).
#include <limits>
#include <nlohmann/json.hpp>

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
  fields.read("workers", Need::Optional, server.workers, 1, 64);
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

}  // namespace

Topology read_topology(Checker& checker, const json& value, const std::string& pointer) {
  Topology topology;
  Fields fields(checker, value, pointer, {"proxy", "server", "middleware"});
  if (const json* proxy = fields.get("proxy")) {
    if (proxy->is_null() || proxy->is_object())
      topology.proxy = *proxy;
    else
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
