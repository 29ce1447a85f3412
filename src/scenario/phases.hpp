// The phase names a scenario may anchor narration, quizzes and key moments to.
#pragma once

#include <array>
#include <string_view>

namespace reqtrace::scenario {

// The one list in this module. The trace module keeps the same vocabulary as an enum; the two
// are meant to share one source later, so keep this in the trace module's order.
inline constexpr auto kPhaseNames = std::to_array<std::string_view>(
    {// client
     "connect", "send", "receive",
     // proxy
     "accept", "static_hit", "forward", "upstream_response",
     // server
     "listening", "request_line", "headers", "request_received", "environ_built", "calling_app",
     "start_response", "response_ready", "sending", "sent", "idle", "error",
     // worker
     "fork", "boot", "busy", "exit",
     // app
     "call", "middleware", "dispatch", "match", "view", "view_return", "make_response", "teardown",
     // the server calls close() on the app's iterable (PEP 3333); the trace module has it too
     "close"});

constexpr bool is_phase(std::string_view name) {
  for (std::string_view phase : kPhaseNames)
    if (phase == name) return true;
  return false;
}

}  // namespace reqtrace::scenario
