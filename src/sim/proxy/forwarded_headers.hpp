// Which headers cross the proxy, each way: nginx's proxy_set_header and its defaults going up,
// proxy_hide_header coming down.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/proxy/proxy_config.hpp"

namespace reqtrace::proxy {

struct VariableSource;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// nginx 1.22's ngx_http_proxy_headers: the lines every proxy_pass location has unless its own
// proxy_set_header names the same field. An empty value keeps the client's field from passing.
const std::vector<SetHeader>& default_proxy_headers();

// One field of the request the upstream gets, and the reason it is there, for the trace.
struct PassedHeader {
  std::string name;
  std::string value;
  std::string why;  // "proxy_set_header Host $proxy_host (nginx's default)", "from the client"
};
// One field of the client's that the upstream does not get, and the line that stopped it.
struct DroppedHeader {
  std::string name;
  std::string why;
};
struct UpstreamHeaders {
  std::vector<PassedHeader> passed;  // in the order they go up
  std::vector<DroppedHeader> dropped;
  HeaderList list() const;
};

// As ngx_http_proxy_create_request builds them: first each proxy_set_header line (the
// scenario's, then nginx's defaults for the fields they do not name) whose value is not empty,
// then every client field that no line names, in the client's order. Content-Length is the
// length of the body the proxy read whole ($proxy_internal_body_length). Last, reqtrace's own
// X-Reqtrace-Req, so the server's events carry the same request number.
UpstreamHeaders upstream_request_headers(const VariableSource& source,
                                         const std::vector<SetHeader>& set_headers, int req);

// The upstream's response headers as the client gets them: the hop-by-hop ones, the ones the
// proxy frames itself (Content-Length, Transfer-Encoding) and proxy_hide_header's defaults
// (Date, Server, X-Pad, X-Accel-*), which the proxy replaces or keeps to itself, are dropped.
HeaderList client_response_headers(const HeaderList& upstream_headers);

// Case-insensitive lookup: the first value, or nullptr.
const std::string* find_header(const HeaderList& headers, std::string_view name);

}  // namespace reqtrace::proxy
