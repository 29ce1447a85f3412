// How the nginx-like proxy is set up: where it listens, where its static files and upstream are.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "sim/http/limits.hpp"
#include "sim/server/socket.hpp"

namespace reqtrace::proxy {

// How requests are handed on: nginx's proxy_pass (HTTP) or uwsgi_pass (the uwsgi protocol).
enum class UpstreamProtocol { Http, Uwsgi };

// What the proxy calls itself in the Server header and at the foot of its error pages.
inline constexpr std::string_view kProxySoftware = "nginx (reqtrace)";

// The names follow nginx's directives, so a student can look each one up there.
struct ProxyConfig {
  std::string host = "127.0.0.1";  // listen
  int port = 0;                    // 0: the kernel picks a free port
  int backlog = 511;               // nginx's default listen backlog

  std::filesystem::path static_root;       // root; empty: no static files, everything forwarded
  std::string static_prefix = "/static/";  // location /static/

  server::Endpoint upstream;  // where the WSGI server listens
  UpstreamProtocol protocol = UpstreamProtocol::Http;
  int upstream_timeout_ms = 60000;  // proxy_read_timeout: between two reads from the upstream
  int connect_timeout_ms = 60000;   // proxy_connect_timeout
  // proxy_buffering on: the whole response is read before the client gets a byte, so the
  // upstream's worker is free while a slow client drains. A bigger response is a 502.
  std::size_t max_buffer_bytes = std::size_t{16} << 20;

  http::Limits limits;               // client_max_body_size and the header limits
  int client_timeout_ms = 60000;     // client_header_timeout / client_body_timeout
  int keepalive_timeout_ms = 75000;  // keepalive_timeout: an idle client connection is closed
  int send_timeout_ms = 60000;       // send_timeout: a client that stops reading is dropped
  int max_connections = 512;         // worker_connections
  std::string lane = "proxy";        // the timeline row of the proxy's events
};

}  // namespace reqtrace::proxy
