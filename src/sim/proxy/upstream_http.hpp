// proxy_pass: the upstream spoken to over HTTP/1.1 with cpp-httplib's client, one connection per
// request, as nginx does without an upstream keepalive pool.
#pragma once

#include <cstddef>
#include <string>

#include "sim/proxy/upstream.hpp"
#include "sim/server/socket.hpp"

namespace reqtrace::proxy {

class UpstreamHttp : public Upstream {
 public:
  UpstreamHttp(server::Endpoint address, int connect_timeout_ms, int read_timeout_ms,
               std::size_t max_buffer_bytes);

  // The request goes with "Connection: close"; the response is read whole. A read that waits
  // read_timeout_ms for a byte is a timeout (504), as nginx's proxy_read_timeout.
  UpstreamReply fetch(const UpstreamRequest& request) override;
  std::string url() const override { return "http://" + address_.to_string(); }
  const char* directive() const override { return "proxy_pass"; }

 private:
  server::Endpoint address_;
  int connect_timeout_ms_;
  int read_timeout_ms_;
  std::size_t max_buffer_bytes_;
};

}  // namespace reqtrace::proxy
