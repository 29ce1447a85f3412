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
  // socketserver's max_children, unless the scenario caps the children as processes=N does.
  EXPECT_EQ(workers(server(ServerModel::ForkPerRequest)), kMaxChildren);
  EXPECT_EQ(kMaxChildren, 40);
  EXPECT_EQ(workers(server(ServerModel::ForkPerRequest, 1)), 1);
  EXPECT_EQ(workers(server(ServerModel::Prefork, 4)), 4);
}

TEST(Configs, TheServerListensWhereToldUnlessAProxyIsInFront) {
  scenario::Topology topology;
  topology.server.max_body_bytes = 10;
  topology.server.read_timeout_ms = 11;
  topology.server.header_timeout_ms = 12;
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
  EXPECT_TRUE(config.keep_alive);

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
