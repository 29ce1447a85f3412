#include "sim/proxy/upstream_http.hpp"

namespace reqtrace::proxy {

std::string proxy_request_bytes(const UpstreamRequest& request) {
  // proxy_http_version's default is 1.0 (ngx_http_proxy_version: " HTTP/1.0" CRLF).
  std::string bytes = request.method + " " + request.target + " HTTP/1.0\r\n";
  for (const auto& [name, value] : request.headers)
    bytes.append(name).append(": ").append(value).append("\r\n");
  return bytes.append("\r\n").append(request.body);
}

UpstreamHttp::UpstreamHttp(server::Endpoint address, UpstreamLimits limits)
    : address_(std::move(address)), limits_(limits) {}

UpstreamReply UpstreamHttp::fetch(const UpstreamRequest& request, ResponseSink& sink) {
  const std::string bytes = proxy_request_bytes(request);
  UpstreamReply reply = exchange(address_, bytes, limits_, "proxy", request.method == "HEAD", sink);
  reply.sent = bytes.substr(0, bytes.size() - request.body.size());
  return reply;
}

}  // namespace reqtrace::proxy
