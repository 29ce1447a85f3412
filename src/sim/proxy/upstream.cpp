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

}  // namespace reqtrace::proxy
