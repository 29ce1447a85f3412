// The overview event that says a server also speaks uwsgi, and where: every model emits it the
// same way right after its own listening event.
#pragma once

#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

// Says nothing when the socket has no uwsgi port.
void announce_uwsgi_listening(const ListeningSocket& socket, const trace::Emitter& emit);

}  // namespace reqtrace::server
