// proxy_pass: the request handed on over HTTP/1.0 with "Connection: close", one connection per
// request, as nginx 1.22 does by default (proxy_http_version 1.0, no upstream keepalive pool).
#pragma once

#include <string>

#include "sim/proxy/upstream.hpp"
#include "sim/proxy/upstream_exchange.hpp"
#include "sim/server/socket.hpp"

namespace reqtrace::proxy {

// The request as ngx_http_proxy_create_request writes it: "METHOD target HTTP/1.0", the
// headers, a blank line, then the body the proxy read whole.
std::string proxy_request_bytes(const UpstreamRequest& request);

class UpstreamHttp : public Upstream {
 public:
  UpstreamHttp(server::Endpoint address, UpstreamLimits limits);

  // A read that waits limits.read_ms for a byte is a timeout (504), as proxy_read_timeout.
  UpstreamReply fetch(const UpstreamRequest& request, ResponseSink& sink) override;
  std::string url() const override { return "http://" + address_.to_string(); }
  UpstreamProtocol protocol() const override { return UpstreamProtocol::Http; }
  const char* directive() const override { return "proxy_pass"; }

 private:
  server::Endpoint address_;
  UpstreamLimits limits_;
};

}  // namespace reqtrace::proxy
