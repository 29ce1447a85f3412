#include "sim/proxy/upstream_uwsgi.hpp"

#include <stdexcept>

#include "sim/http/percent_coding.hpp"
#include "sim/http/syntax.hpp"
#include "sim/proxy/forwarded_headers.hpp"
#include "sim/wsgi/environ_builder.hpp"

namespace reqtrace::proxy {

uwsgi::Vars uwsgi_vars(const UpstreamRequest& request) {
  const std::string* content_type = find_header(request.client_headers, "Content-Type");
  const std::string* content_length = find_header(request.client_headers, "Content-Length");
  bool malformed = false;
  std::string path_info = http::percent_decode(request.path, &malformed);
  if (malformed) path_info = request.path;
  uwsgi::Vars vars = {
      {"QUERY_STRING", request.query},
      {"REQUEST_METHOD", request.method},
      {"CONTENT_TYPE", content_type ? *content_type : ""},
      // $content_length: the client's header; for a chunked body, the length read.
      {"CONTENT_LENGTH", content_length      ? *content_length
                         : request.body_sent ? std::to_string(request.body.size())
                                             : ""},
      {"REQUEST_URI", request.target},
      {"PATH_INFO", path_info},
      {"DOCUMENT_ROOT", request.document_root},
      {"SERVER_PROTOCOL", request.protocol},
      {"REQUEST_SCHEME", "http"},
      {"REMOTE_ADDR", request.client.host},
      {"REMOTE_PORT", std::to_string(request.client.port)},
      {"SERVER_PORT", std::to_string(request.proxy.port)},
      {"SERVER_NAME", request.server_name},
      {"HTTP_HOST", request.host},
  };
  // A header whose HTTP_ name a uwsgi_param line already set is not passed again.
  for (const auto& [name, value] : request.client_headers) {
    std::string var = wsgi::http_variable_name(name);
    if (var == "HTTP_HOST") continue;
    vars.emplace_back(std::move(var), value);
  }
  return vars;
}

UpstreamUwsgi::UpstreamUwsgi(server::Endpoint address, UpstreamLimits limits)
    : address_(std::move(address)), limits_(limits) {}

UpstreamReply UpstreamUwsgi::fetch(const UpstreamRequest& request, ResponseSink& sink) {
  std::string packet;
  try {
    packet = uwsgi::encode(uwsgi_vars(request));
  } catch (const std::length_error&) {
    UpstreamReply reply;
    reply.outcome = UpstreamReply::Outcome::Broken;
    reply.error = "the request's vars do not fit in a uwsgi packet (64 KiB at most)";
    return reply;
  }
  UpstreamReply reply =
      exchange(address_, packet + request.body, limits_, "uwsgi", request.method == "HEAD", sink);
  reply.sent = http::escape_bytes(packet, 8192);  // binary: shown with its bytes escaped
  return reply;
}

}  // namespace reqtrace::proxy
