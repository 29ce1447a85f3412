// uwsgi_pass: the request handed on as a uwsgi packet (its CGI vars, Debian's uwsgi_params) and
// the body over a plain TCP connection; the response comes back as HTTP bytes.
#pragma once

#include <string>

#include "sim/proxy/upstream.hpp"
#include "sim/proxy/upstream_exchange.hpp"
#include "sim/server/socket.hpp"
#include "sim/uwsgi/packet.hpp"

namespace reqtrace::proxy {

// As ngx_http_uwsgi_create_request builds them with `include uwsgi_params` (Debian 12's file):
// its uwsgi_param lines in order (HTTPS only when not empty, so never here), then each client
// header as HTTP_<NAME> (uwsgi_pass_request_headers on) except Host, which uwsgi_params already
// set as HTTP_HOST $host. PATH_INFO is the decoded path, as $document_uri is.
uwsgi::Vars uwsgi_vars(const UpstreamRequest& request);

class UpstreamUwsgi : public Upstream {
 public:
  UpstreamUwsgi(server::Endpoint address, UpstreamLimits limits);

  UpstreamReply fetch(const UpstreamRequest& request, ResponseSink& sink) override;
  std::string url() const override { return "uwsgi://" + address_.to_string(); }
  UpstreamProtocol protocol() const override { return UpstreamProtocol::Uwsgi; }
  const char* directive() const override { return "uwsgi_pass"; }

 private:
  server::Endpoint address_;
  UpstreamLimits limits_;
};

}  // namespace reqtrace::proxy
