// Sending a scenario's requests as its browsers would: one after another, or a crowd at once.
#pragma once

#include <cstddef>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/client/browser.hpp"
#include "sim/server/socket.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::topology {

// One request the run sent and what came back: a scenario entry's own request (one per client)
// or a subresource its page linked to.
struct Exchange : client::Fetch {
  std::size_t entry = 0;  // which of the scenario's "requests" it belongs to, from 0
};

// Sends the scenario's requests in order, every request numbered by one counter in the order it
// starts (X-Reqtrace-Req). An entry with "clients": N starts N browsers, lanes "client-1" to
// "client-N", and releases them together; the next entry starts when all have their answers.
// Entries of one client share one browser, lane "client", which keeps its connection when the
// server allows. The recorder is flushed after each page, so a killed run keeps every finished
// request. Exchanges come entry by entry, each client's page before its subresources.
std::vector<Exchange> send_requests(const scenario::Scenario& scenario,
                                    const server::Endpoint& front_door, trace::Recorder* recorder);

}  // namespace reqtrace::topology
