// The socket work both upstreams share: a bounded connect(), the request written, and the
// answer (an HTTP status line, headers, and a body to its Content-Length or to the close) read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/proxy/upstream.hpp"
#include "sim/server/socket.hpp"

namespace reqtrace::proxy {

struct UpstreamLimits {
  int connect_ms = 60000;  // proxy_connect_timeout / uwsgi_connect_timeout
  int read_ms = 60000;     // proxy_read_timeout: between two reads from the upstream
  // proxy_buffer_size: the status line and headers must fit in it, or the answer is a 502
  // ("upstream sent too big header").
  std::size_t head_bytes = 4096;
};

// Connects to `address`, writes `request` and reads the answer into `sink`. `prefix` names
// the directives in messages ("proxy" or "uwsgi"); `no_body` is true for a HEAD request,
// whose answer ends with its head whatever its Content-Length says.
UpstreamReply exchange(const server::Endpoint& address, std::string_view request,
                       const UpstreamLimits& limits, std::string_view prefix, bool no_body,
                       ResponseSink& sink);

}  // namespace reqtrace::proxy
