// One client's connection to the proxy: each request on it read, answered from static_root or
// by the upstream, and the answer sent back (nginx's ngx_http_request, one thread per client).
#pragma once

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "sim/proxy/proxy_config.hpp"
#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::http {
struct Request;
}

namespace reqtrace::proxy {

class StaticFiles;
class Upstream;

class ClientConnection {
 public:
  // `static_files` may be null: then every request goes upstream. `next_req` numbers the
  // requests that come without an X-Reqtrace-Req; `stopping` ends the wait for a next request.
  ClientConnection(const ProxyConfig& config, const StaticFiles* static_files, Upstream& upstream,
                   server::Endpoint proxy_address, trace::Emitter emitter,
                   std::atomic<int>& next_req, const std::atomic<bool>& stopping);

  // Serves every request the client sends on the connection (keep-alive), then returns.
  void serve(server::Connection& connection);

 private:
  using HeaderList = std::vector<std::pair<std::string, std::string>>;
  // The server's RequestReader with the proxy's waits and words.
  class Reader;

  // Each returns whether the connection may carry another request.
  bool serve_static(server::Connection& connection, const http::Request& request, int req);
  bool forward(server::Connection& connection, const http::Request& request, int req);
  // Writes the response and only then says it was sent; false when the client must be let go.
  bool send(server::Connection& connection, int req, int status, const std::string& reason,
            HeaderList headers, const std::string& body, bool head_only, bool keep_alive);

  const ProxyConfig& config_;
  const StaticFiles* static_files_;
  Upstream& upstream_;
  server::Endpoint proxy_address_;
  trace::Emitter emit_;
  std::atomic<int>& next_req_;
  const std::atomic<bool>& stopping_;
};

}  // namespace reqtrace::proxy
