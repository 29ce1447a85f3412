// The upstream the proxy hands requests to: one call out, one whole (buffered) response back.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

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
  std::string protocol = "HTTP/1.1";
  HeaderList headers;  // already rewritten by upstream_request_headers()
  std::string body;
  server::Endpoint client;  // who asked the proxy
  server::Endpoint proxy;   // where the proxy was asked
};

// What came back. Anything but Answered becomes the proxy's own 502 or 504.
struct UpstreamReply {
  enum class Outcome {
    Answered,  // a whole, well-formed response
    Refused,   // nothing listens there (connect() failed): 502
    TimedOut,  // no connection, or no byte, within the timeout: 504
    Broken,    // reset, closed early, or not HTTP: 502
    TooLarge,  // more than the proxy buffers: 502
  };
  Outcome outcome = Outcome::Broken;
  std::string error;  // for anything but Answered: what went wrong, for the trace
  int status = 0;
  std::string reason;  // "OK"
  HeaderList headers;  // as the upstream sent them
  std::string body;    // the whole body, buffered
  std::string sent;    // the bytes the proxy sent upstream (head, or the uwsgi packet), to inspect
};

class Upstream {
 public:
  virtual ~Upstream() = default;
  // Sends the request and reads the whole response; never throws.
  virtual UpstreamReply fetch(const UpstreamRequest& request) = 0;
  // "http://127.0.0.1:5000" or "uwsgi://127.0.0.1:5000", as the trace names it.
  virtual std::string url() const = 0;
  // The nginx directive this upstream stands for: "proxy_pass" or "uwsgi_pass".
  virtual const char* directive() const = 0;
};

// The status the proxy answers with when the upstream did not answer: 504 for TimedOut, 502 for
// the other failures; 0 for Answered, whose status is the upstream's own.
int gateway_status(UpstreamReply::Outcome outcome);

}  // namespace reqtrace::proxy
