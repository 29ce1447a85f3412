// A scenario's options as the configs of the stack's parts: the one place a scenario is translated.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "scenario/scenario.hpp"
#include "sim/client/request.hpp"
#include "sim/proxy/proxy_config.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"

namespace reqtrace::topology {

// Where the stack listens, and what it finds on this machine; the scenario says the rest.
struct Listen {
  std::string host = "127.0.0.1";
  int port = 0;         // 0: any free port
  int uwsgi_port = -1;  // the server also speaks uwsgi here; -1: not at all, 0: any free port
  // The folder a proxy's static_root names its folder in (the shipped assets/); a static_root
  // that is an absolute path does without it.
  std::filesystem::path assets;
  // The reqtrace executable the cgi model runs for each request; empty: this process's own.
  std::filesystem::path cgi_program;
};

// The model's workers: threads (threaded), processes (prefork, cgi) or the cap on children
// (fork-per-request: Werkzeug's processes=N, which its scenario must give). The scenario's count
// when it gives one, else 1. The dev servers have none: dev serves on its one thread, and
// dev-threaded starts a thread per connection, with no limit.
int workers(const scenario::Server& server);

// How the model's real server speaks on the wire (status-line version, keep-alive, chunking),
// decided by its source; the one place each model's is set.
server::WirePolicy wire_policy(const scenario::Server& server);

// The WSGI server's config. With a proxy in front the server hides behind it on any free
// loopback port, and speaks uwsgi there too when that is how the proxy passes requests on.
server::ServerConfig server_config(const scenario::Topology& topology, const Listen& listen);

// The proxy's config, passing requests on to `upstream`, where the server speaks the proxy's
// protocol. nullopt with `error` set when static_root names a folder under assets/ and no
// assets folder was found.
std::optional<proxy::ProxyConfig> proxy_config(const scenario::Proxy& proxy, const Listen& listen,
                                               const server::Endpoint& upstream,
                                               std::string& error);

// One entry of "requests" as a browser loads it. Its "clients" is not the browser's: it is how
// many browsers send_requests starts for it.
client::Request client_request(const scenario::Request& request);

}  // namespace reqtrace::topology
