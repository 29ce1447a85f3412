#include "sim/proxy/upstream.hpp"

namespace reqtrace::proxy {

int gateway_status(UpstreamReply::Outcome outcome) {
  switch (outcome) {
    case UpstreamReply::Outcome::Answered:
      return 0;
    case UpstreamReply::Outcome::TimedOut:
      return 504;
    default:
      return 502;
  }
}

std::string Upstream::proxy_host() const {
  const std::string address = url().substr(url().find("://") + 3);
  const auto colon = address.rfind(':');
  return address.substr(colon) == ":80" ? address.substr(0, colon) : address;
}

}  // namespace reqtrace::proxy
