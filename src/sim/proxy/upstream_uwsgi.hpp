// uwsgi_pass: the request handed on as a uwsgi packet (its CGI vars, nginx's uwsgi_params) and
// the body over a plain TCP connection; the response comes back as HTTP bytes until the close.
#pragma once

#include <cstddef>
#include <string>

#include "sim/proxy/upstream.hpp"
#include "sim/server/socket.hpp"
#include "sim/uwsgi/packet.hpp"

namespace reqtrace::proxy {

// The vars nginx's uwsgi_params sends, in its order, then each request header as HTTP_<NAME>
// (uwsgi_pass_request_headers on). PATH_INFO is the decoded path, as $document_uri is.
uwsgi::Vars uwsgi_vars(const UpstreamRequest& request);

class UpstreamUwsgi : public Upstream {
 public:
  UpstreamUwsgi(server::Endpoint address, int connect_timeout_ms, int read_timeout_ms,
                std::size_t max_buffer_bytes);

  UpstreamReply fetch(const UpstreamRequest& request) override;
  std::string url() const override { return "uwsgi://" + address_.to_string(); }
  const char* directive() const override { return "uwsgi_pass"; }

 private:
  server::Endpoint address_;
  int connect_timeout_ms_;
  int read_timeout_ms_;
  std::size_t max_buffer_bytes_;
};

}  // namespace reqtrace::proxy
