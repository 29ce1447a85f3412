// The overview events that say a server is up: where it listens for HTTP and, when it also
// speaks uwsgi, where that second socket is. Every model emits them the same way.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

// `says` is the model's own sentence ("Server starts and listens on http://…/"); `details` are
// the model's own data (model, workers…), to which the bound host and port are added.
void announce_listening(const ListeningSocket& socket, const trace::Emitter& emit,
                        const std::string& says, nlohmann::json details);

}  // namespace reqtrace::server
