#include "sim/server/listening.hpp"

#include <nlohmann/json.hpp>

namespace reqtrace::server {

void announce_listening(const ListeningSocket& socket, const trace::Emitter& emit,
                        const std::string& says, nlohmann::json details) {
  const Endpoint& bound = socket.address();
  details["host"] = bound.host;
  details["port"] = bound.port;
  emit(trace::Phase::Listening, 0, trace::kOverview, says,
       {{"server.state", "Listening for requests"}}, std::move(details));
  const auto& uwsgi = socket.uwsgi_address();
  if (!uwsgi) return;
  emit(trace::Phase::Listening, 0, trace::kOverview,
       "The server also speaks uwsgi on " + uwsgi->to_string() +
           ": a proxy such as nginx (uwsgi_pass) sends requests there as binary packets",
       {},
       {{"host", uwsgi->host},
        {"port", uwsgi->port},
        {"protocol", "uwsgi"},
        {"socket", "a second listening socket; accept() waits on both"}});
}

}  // namespace reqtrace::server
