#include "trace/event.hpp"

#include <array>

namespace reqtrace::trace {
namespace {

constexpr std::array<std::string_view, 6> kActorNames = {"invalid", "client", "proxy",
                                                         "server",  "worker", "app"};

// Indexed by Phase; keep in the enum's order.
constexpr std::array<std::string_view, 41> kPhaseNames = {
    "invalid",       "connect",       "send",           "receive",
    "accept",        "static_hit",    "forward",        "upstream_response",
    "listening",     "request_line",  "headers",        "request_received",
    "environ_built", "calling_app",   "start_response", "response_ready",
    "sending",       "sent",          "idle",           "error",
    "fork",          "boot",          "busy",           "exit",
    "add_url_rule",  "call",          "middleware",     "push_context",
    "match",         "full_dispatch", "preprocess",     "dispatch",
    "view",          "view_return",   "make_response",  "process_response",
    "teardown",      "close",         "gil_wait",       "wsgi_errors",
    "continue"};

static_assert(static_cast<std::size_t>(Phase::Continue) + 1 == kPhaseNames.size());

}  // namespace

std::string_view name_of(Actor actor) {
  return kActorNames[static_cast<int>(actor)];
}
std::string_view name_of(Phase phase) {
  return kPhaseNames[static_cast<int>(phase)];
}

Actor actor_from(std::string_view name) {
  for (std::size_t i = 1; i < kActorNames.size(); ++i)
    if (kActorNames[i] == name) return static_cast<Actor>(i);
  return Actor::Invalid;
}

Phase phase_from(std::string_view name) {
  for (std::size_t i = 1; i < kPhaseNames.size(); ++i)
    if (kPhaseNames[i] == name) return static_cast<Phase>(i);
  return Phase::Invalid;
}

const std::vector<std::string_view>& all_phase_names() {
  static const std::vector<std::string_view> names(kPhaseNames.begin() + 1, kPhaseNames.end());
  return names;
}

std::optional<std::string_view> Event::var(std::string_view name) const {
  for (const auto& [key, value] : vars)
    if (key == name) return value;
  return std::nullopt;
}

}  // namespace reqtrace::trace
