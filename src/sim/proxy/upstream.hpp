// The upstream the proxy hands requests to: one connection per request, its response passed
// to a sink as it arrives.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/proxy/proxy_config.hpp"
#include "sim/server/socket.hpp"

namespace reqtrace::proxy {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One request as it leaves the proxy.
struct UpstreamRequest {
  int req = 0;
  std::string method;
  std::string target;  // path and query, as the client sent them
  std::string path;    // the path part, still percent-encoded
  std::string query;
  std::string protocol = "HTTP/1.1";  // the client's, for SERVER_PROTOCOL
  HeaderList headers;                 // proxy_pass: as upstream_request_headers() made them
  HeaderList client_headers;          // the client's own, for uwsgi_pass's HTTP_* vars
  std::string host;                   // $host, for uwsgi_params' HTTP_HOST
  std::string server_name;            // $server_name
  std::string document_root;          // $document_root
  std::string body;
  bool body_sent = false;   // the client sent Content-Length or a chunked body
  server::Endpoint client;  // who asked the proxy
  server::Endpoint proxy;   // where the proxy was asked
};

// Where the upstream's response goes as it is read: the head once, then the body in pieces.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // `head_bytes`: how many bytes the status line and headers took, blank line included.
  virtual void head(int status, const std::string& reason, const HeaderList& headers,
                    std::size_t head_bytes) = 0;
  virtual void body(std::string_view bytes) = 0;
};

// How the exchange ended. Anything but Answered before the head arrived becomes the proxy's own
// 502 or 504; after it, the client's response is cut short.
struct UpstreamReply {
  enum class Outcome {
    Answered,  // a whole, well-formed response
    Refused,   // nothing listens there (connect() failed): 502
    TimedOut,  // no connection, or no byte, within the timeout: 504
    Broken,    // reset, closed early, or not HTTP: 502
  };
  Outcome outcome = Outcome::Broken;
  std::string error;  // for anything but Answered: what went wrong, for the trace
  bool head_read = false;
  int status = 0;
  std::string reason;  // "OK"
  HeaderList headers;  // as the upstream sent them
  std::size_t body_bytes = 0;
  std::string sent;  // the bytes the proxy sent upstream (head, or the uwsgi packet), to inspect
};

class Upstream {
 public:
  virtual ~Upstream() = default;
  // Sends the request and passes the response to `sink` as it is read; never throws.
  virtual UpstreamReply fetch(const UpstreamRequest& request, ResponseSink& sink) = 0;
  // "http://127.0.0.1:5000" or "uwsgi://127.0.0.1:5000", as the trace names it.
  virtual std::string url() const = 0;
  // The nginx directive this upstream stands for: "proxy_pass" or "uwsgi_pass".
  virtual const char* directive() const = 0;
  virtual UpstreamProtocol protocol() const = 0;
  // $proxy_host: the upstream's host and port as proxy_pass names it ("127.0.0.1:5000"; the
  // port left out when it is 80).
  std::string proxy_host() const;
};

// The status the proxy answers with when the upstream did not answer: 504 for TimedOut, 502 for
// the other failures; 0 for Answered, whose status is the upstream's own.
int gateway_status(UpstreamReply::Outcome outcome);

}  // namespace reqtrace::proxy
