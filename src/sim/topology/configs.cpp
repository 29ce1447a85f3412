#include "sim/topology/configs.hpp"

namespace reqtrace::topology {

int workers(const scenario::Server& server) {
  return server.workers.value_or(1);
}

namespace {

// listen()'s backlog as the real server sets it: Werkzeug's LISTEN_QUEUE (serving.py) and
// gunicorn's backlog setting (config.py Backlog), both defaults.
int listen_backlog(scenario::ServerModel model) {
  switch (model) {
    case scenario::ServerModel::Prefork:
    case scenario::ServerModel::Threaded:
      return 2048;
    case scenario::ServerModel::Cgi:
      return server::ServerConfig{}.backlog;
    default:
      return 128;
  }
}

}  // namespace

server::WirePolicy wire_policy(const scenario::Server& server) {
  using scenario::ServerModel;
  using Policy = server::WirePolicy;
  Policy wire;
  switch (server.model) {
    case ServerModel::DevThreaded:
    case ServerModel::ForkPerRequest:
      // werkzeug/serving.py BaseWSGIServer.__init__: a multithread or multiprocess server's
      // handler speaks HTTP/1.1, so run_wsgi chunks a body without length; it still always
      // sends "Connection: close" ("Always close the connection", run_wsgi).
      wire.version = Policy::Version::Http11;
      wire.chunked = Policy::Chunked::ServerHttp11;
      wire.parse_request_continues = true;
      break;
    case ServerModel::Prefork:
    case ServerModel::Threaded:
      // gunicorn/http/wsgi.py Response: the request's version on the status line, chunked when
      // the request is HTTP/1.1 and the app gave no length. workers/sync.py force_close()s
      // every response; workers/gthread.py keeps the connection when keepalive is set.
      wire.version = Policy::Version::Request;
      wire.chunked = Policy::Chunked::ClientHttp11;
      wire.keep_alive = server.model == ServerModel::Threaded && server.keep_alive;
      wire.framing_headers_first = true;
      break;
    case ServerModel::Cgi:
      // The CGI server writes its own HTTP/1.1 responses (cgi_server.cpp); its refusals match.
      wire.version = Policy::Version::Http11;
      break;
    default:
      // Werkzeug's BaseWSGIServer: HTTP/1.0, close after each response, the close ends a body
      // without length.
      break;
  }
  return wire;
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
  config.worker_timeout_ms = server.timeout_ms;
  config.preload_app = server.preload;
  config.wire = wire_policy(server);
  config.backlog = listen_backlog(server.model);
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
