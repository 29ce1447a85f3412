#include "sim/topology/configs.hpp"

namespace reqtrace::topology {

int workers(const scenario::Server& server) {
  if (server.workers) return *server.workers;
  return server.model == scenario::ServerModel::ForkPerRequest ? kMaxChildren : 1;
}

server::ServerConfig server_config(const scenario::Topology& topology, const Listen& listen) {
  server::ServerConfig config;
  config.host = listen.host;
  config.port = listen.port;
  config.uwsgi_port = listen.uwsgi_port;
  if (topology.proxy) {
    // The proxy takes the front door; the server hides behind it on loopback.
    config.host = "127.0.0.1";
    config.port = 0;
    if (topology.proxy->upstream == scenario::UpstreamProtocol::Uwsgi) config.uwsgi_port = 0;
  }
  const scenario::Server& server = topology.server;
  config.limits.body = server.max_body_bytes;
  config.read_timeout_ms = server.read_timeout_ms;
  config.header_timeout_ms = server.header_timeout_ms;
  config.keep_alive = server.keep_alive;
  return config;
}

std::optional<proxy::ProxyConfig> proxy_config(const scenario::Proxy& proxy, const Listen& listen,
                                               const server::Endpoint& upstream,
                                               std::string& error) {
  proxy::ProxyConfig config;
  config.host = listen.host;
  config.port = listen.port;
  if (!proxy.static_root.empty()) {
    config.static_root = proxy.static_root;
    if (config.static_root.is_relative()) {
      if (listen.assets.empty()) {
        error = "the proxy's static_root \"" + proxy.static_root +
                "\" names a folder under assets/, but no assets folder was found";
        return std::nullopt;
      }
      config.static_root = listen.assets / config.static_root;
    }
  }
  config.static_prefix = proxy.static_prefix;
  config.upstream = upstream;
  config.protocol = proxy.upstream == scenario::UpstreamProtocol::Uwsgi
                        ? proxy::UpstreamProtocol::Uwsgi
                        : proxy::UpstreamProtocol::Http;
  config.upstream_timeout_ms = proxy.upstream_timeout_ms;
  config.connect_timeout_ms = proxy.connect_timeout_ms;
  for (const auto& [name, value] : proxy.proxy_set_header)
    config.set_headers.push_back({name, value});
  config.buffering = proxy.proxy_buffering;
  return config;
}

client::Request client_request(const scenario::Request& request) {
  client::Request out;
  out.method = request.method;
  out.path = request.path;
  out.headers = request.headers;
  out.body = request.body;
  out.form = request.form;
  out.subresources = request.subresources;
  return out;
}

}  // namespace reqtrace::topology
