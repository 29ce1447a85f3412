#include "sim/server/uwsgi_listening.hpp"

#include <nlohmann/json.hpp>

namespace reqtrace::server {

void announce_uwsgi_listening(const ListeningSocket& socket, const trace::Emitter& emit) {
  const auto& address = socket.uwsgi_address();
  if (!address) return;
  emit(trace::Phase::Listening, 0, trace::kOverview,
       "The server also speaks uwsgi on " + address->to_string() +
           ": a proxy such as nginx (uwsgi_pass) sends requests there as binary packets",
       {},
       {{"host", address->host},
        {"port", address->port},
        {"protocol", "uwsgi"},
        {"socket", "a second listening socket; accept() waits on both"}});
}

}  // namespace reqtrace::server
