// A scenario's options as the stack's configs: workers by model, the server behind a proxy, the
// proxy's static root and upstream, and what a browser is asked to load.
#include <gtest/gtest.h>

#include "sim/topology/configs.hpp"

namespace reqtrace::topology {
namespace {

using scenario::ServerModel;

scenario::Server server(ServerModel model, std::optional<int> workers = std::nullopt) {
  scenario::Server out;
  out.model = model;
  out.workers = workers;
  return out;
}

TEST(Configs, WorkersNotGivenAreTheModelsDefault) {
  EXPECT_EQ(workers(server(ServerModel::Threaded)), 1);
  EXPECT_EQ(workers(server(ServerModel::Prefork)), 1);
  EXPECT_EQ(workers(server(ServerModel::Cgi)), 1);
  // Werkzeug's processes=N is max_children; the scenario must give it (the loader says so).
  EXPECT_EQ(workers(server(ServerModel::ForkPerRequest, 2)), 2);
  EXPECT_EQ(workers(server(ServerModel::Prefork, 4)), 4);
}

TEST(Configs, EachModelSpeaksItsRealServersWire) {
  using Policy = server::WirePolicy;
  // werkzeug/serving.py: BaseWSGIServer keeps HTTP/1.0; threaded and forking switch to HTTP/1.1
  // and chunk, but run_wsgi always closes.
  const Policy dev = wire_policy(server(ServerModel::Dev));
  EXPECT_EQ(dev.version, Policy::Version::Http10);
  EXPECT_EQ(dev.chunked, Policy::Chunked::Never);
  EXPECT_FALSE(dev.keep_alive);
  for (ServerModel model : {ServerModel::DevThreaded, ServerModel::ForkPerRequest}) {
    const Policy wire = wire_policy(server(model, 2));
    EXPECT_EQ(wire.version, Policy::Version::Http11);
    EXPECT_EQ(wire.chunked, Policy::Chunked::ServerHttp11);
    EXPECT_FALSE(wire.keep_alive);
    EXPECT_FALSE(wire.framing_headers_first);
  }
  // gunicorn: the request's version; sync always closes, gthread keeps alive when told.
  scenario::Server gthread = server(ServerModel::Threaded, 2);
  EXPECT_FALSE(wire_policy(gthread).keep_alive);
  gthread.keep_alive = true;
  EXPECT_TRUE(wire_policy(gthread).keep_alive);
  scenario::Server sync = server(ServerModel::Prefork, 2);
  sync.keep_alive = true;  // the loader refuses this; the policy would not obey it either
  for (const scenario::Server& gunicorn : {gthread, sync}) {
    const Policy wire = wire_policy(gunicorn);
    EXPECT_EQ(wire.version, Policy::Version::Request);
    EXPECT_EQ(wire.chunked, Policy::Chunked::ClientHttp11);
    EXPECT_TRUE(wire.framing_headers_first);
  }
  EXPECT_FALSE(wire_policy(sync).keep_alive);
  // The status line a request of each version gets.
  EXPECT_EQ(server::status_version(dev, 1), "HTTP/1.0");
  EXPECT_EQ(server::status_version(wire_policy(server(ServerModel::DevThreaded)), 0), "HTTP/1.1");
  EXPECT_EQ(server::status_version(wire_policy(sync), 0), "HTTP/1.0");
  EXPECT_EQ(server::status_version(wire_policy(sync), 1), "HTTP/1.1");
}

TEST(Configs, TheServerListensWhereToldUnlessAProxyIsInFront) {
  scenario::Topology topology;
  topology.server.max_body_bytes = 10;
  topology.server.read_timeout_ms = 11;
  topology.server.header_timeout_ms = 12;
  topology.server.model = ServerModel::Threaded;
  topology.server.keep_alive = true;
  Listen listen;
  listen.host = "0.0.0.0";
  listen.port = 8000;
  listen.uwsgi_port = 0;
  server::ServerConfig config = server_config(topology, listen);
  EXPECT_EQ(config.host, "0.0.0.0");
  EXPECT_EQ(config.port, 8000);
  EXPECT_EQ(config.uwsgi_port, 0);
  EXPECT_EQ(config.limits.body, 10u);
  EXPECT_EQ(config.read_timeout_ms, 11);
  EXPECT_EQ(config.header_timeout_ms, 12);
  EXPECT_TRUE(config.wire.keep_alive);
  EXPECT_EQ(config.backlog, 2048);             // gunicorn's default backlog
  EXPECT_EQ(config.worker_timeout_ms, 30000);  // gunicorn's default timeout, 30 s
  EXPECT_FALSE(config.preload_app);
  topology.server.timeout_ms = 700;
  topology.server.preload = true;
  config = server_config(topology, listen);
  EXPECT_EQ(config.worker_timeout_ms, 700);
  EXPECT_TRUE(config.preload_app);

  listen.uwsgi_port = -1;
  topology.proxy = scenario::Proxy{};
  config = server_config(topology, listen);
  EXPECT_EQ(config.host, "127.0.0.1");
  EXPECT_EQ(config.port, 0);
  EXPECT_EQ(config.uwsgi_port, -1);
  topology.proxy->upstream = scenario::UpstreamProtocol::Uwsgi;
  EXPECT_EQ(server_config(topology, listen).uwsgi_port, 0);
}

TEST(Configs, TheProxysStaticRootIsUnderAssetsUnlessAbsolute) {
  scenario::Proxy proxy;
  proxy.static_root = "site";
  proxy.upstream = scenario::UpstreamProtocol::Uwsgi;
  proxy.upstream_timeout_ms = 7;
  Listen listen;
  listen.port = 8080;
  const server::Endpoint upstream{"127.0.0.1", 9000};
  std::string error;
  EXPECT_FALSE(proxy_config(proxy, listen, upstream, error));
  EXPECT_EQ(error,
            "the proxy's static_root \"site\" names a folder under assets/, but no assets folder "
            "was found");

  listen.assets = "/usr/share/reqtrace/assets";
  auto config = proxy_config(proxy, listen, upstream, error);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->static_root, "/usr/share/reqtrace/assets/site");
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->upstream.port, 9000);
  EXPECT_EQ(config->protocol, proxy::UpstreamProtocol::Uwsgi);
  EXPECT_EQ(config->upstream_timeout_ms, 7);
  proxy.static_root = "/srv/www";
  EXPECT_EQ(proxy_config(proxy, listen, upstream, error)->static_root, "/srv/www");
}

TEST(Configs, ABrowsersRequestIsTheEntryWithoutItsCrowd) {
  scenario::Request entry;
  entry.method = "POST";
  entry.path = "/form?x=1";
  entry.headers = {{"X-A", "1"}};
  entry.form = {{"name", "Ada"}};
  entry.clients = 30;
  entry.subresources = false;
  const client::Request request = client_request(entry);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/form?x=1");
  EXPECT_EQ(request.headers, entry.headers);
  EXPECT_EQ(request.form, entry.form);
  EXPECT_FALSE(request.subresources);
}

}  // namespace
}  // namespace reqtrace::topology
