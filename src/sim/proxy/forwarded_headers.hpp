// Which headers cross the proxy, each way, and what the proxy adds (nginx's proxy_set_header).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reqtrace::http {
struct Request;
}

namespace reqtrace::proxy {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The client's request headers as the upstream gets them. Hop-by-hop headers (Connection and
// the ones it names, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-Connection) and
// the body's framing stay on the client's hop, and so does Expect, which the proxy answers; Host
// is passed as the client sent it. Added:
//   X-Real-IP          the client's address                     ($remote_addr)
//   X-Forwarded-For    the client's list with its address added ($proxy_add_x_forwarded_for)
//   X-Forwarded-Proto  "http"                                   ($scheme)
//   X-Reqtrace-Req     the request's number, so the server's events carry the same req
HeaderList upstream_request_headers(const http::Request& request, std::string_view client_address,
                                    int req);

// The upstream's response headers as the client gets them: hop-by-hop ones, the body's framing
// (the proxy frames the buffered body itself) and the upstream's Server and Date, which the
// proxy replaces with its own, are dropped.
HeaderList client_response_headers(const HeaderList& upstream_headers);

// Case-insensitive lookup: the first value, or nullptr.
const std::string* find_header(const HeaderList& headers, std::string_view name);

}  // namespace reqtrace::proxy
