// How the nginx-like proxy is set up: where it listens, where its static files and upstream are.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sim/http/limits.hpp"
#include "sim/server/socket.hpp"

namespace reqtrace::proxy {

// How requests are handed on: nginx's proxy_pass (HTTP) or uwsgi_pass (the uwsgi protocol).
enum class UpstreamProtocol { Http, Uwsgi };

// What the proxy calls itself in the Server header and at the foot of its error pages.
inline constexpr std::string_view kProxySoftware = "nginx (reqtrace)";

// One proxy_set_header line: the field and its value, which may hold nginx variables
// ("$remote_addr"). An empty value means the field is not passed at all.
struct SetHeader {
  std::string name;
  std::string value;
};

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
  // The scenario's proxy_set_header lines, in order; nginx's defaults (Host $proxy_host,
  // Connection close, ...) apply to every field these do not name.
  std::vector<SetHeader> set_headers;
  std::string server_name = "localhost";                // server_name: $server_name, $host
  std::string document_root = "/usr/share/nginx/html";  // root: $document_root (Debian's)
  // proxy_buffering on: the upstream is read into proxy_buffers 8 4k (4 KiB is the page size
  // on x86_64); each buffer that fills is passed to the client, and what the client is slow to
  // take waits in a temp file of up to proxy_max_temp_file_size, so the upstream never waits
  // for the client. Off: what arrives is passed on at once.
  bool buffering = true;
  std::size_t buffer_size = 4096;
  int buffers = 8;
  std::size_t max_temp_file_size = std::size_t{1024} << 20;

  http::Limits limits;               // client_max_body_size and the header limits
  int client_timeout_ms = 60000;     // client_header_timeout / client_body_timeout
  int keepalive_timeout_ms = 75000;  // keepalive_timeout: an idle client connection is closed
  int send_timeout_ms = 60000;       // send_timeout: a client that stops reading is dropped
  // lingering_time and lingering_timeout: after a refusal, how long the rest of the request is
  // read and thrown away before the close (ngx_http_set_lingering_close).
  int lingering_time_ms = 30000;
  int lingering_timeout_ms = 5000;
  int max_connections = 512;   // worker_connections
  std::string lane = "proxy";  // the timeline row of the proxy's events
};

}  // namespace reqtrace::proxy
