// One trace event: something an actor of the stack did, at the moment it did it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reqtrace::trace {

// Who acts. Invalid comes first so an unknown name in a file is caught.
enum class Actor { Invalid, Client, Proxy, Server, Worker, App };

// The fixed vocabulary of DESIGN.md, plus the finer steps of levels 2 and 3.
enum class Phase {
  Invalid,
  // client
  Connect,
  Send,
  Receive,
  // proxy
  Accept,
  StaticHit,
  Forward,
  UpstreamResponse,
  // server
  Listening,
  RequestLine,
  Headers,
  RequestReceived,
  EnvironBuilt,
  CallingApp,
  StartResponse,
  ResponseReady,
  Sending,
  Sent,
  Idle,
  Error,
  // worker
  Fork,
  Boot,
  Busy,
  Exit,
  // app: at startup, then for each request in the order Flask 2.2's wsgi_app runs them
  AddUrlRule,
  Call,
  Middleware,
  PushContext,
  Match,
  FullDispatch,
  Preprocess,
  Dispatch,
  View,
  ViewReturn,
  MakeResponse,
  ProcessResponse,
  Teardown,
  Close,
  // Added last, so the phases before keep their numbers. worker: a real Python app's thread
  // waited to take the GIL.
  GilWait,
  // app: the app wrote to wsgi.errors, the server's error log
  WsgiErrors,
  // server: it answered Expect: 100-continue, so the client sends its body
  Continue,
};

std::string_view name_of(Actor actor);
std::string_view name_of(Phase phase);
Actor actor_from(std::string_view name);  // Actor::Invalid when unknown
Phase phase_from(std::string_view name);  // Phase::Invalid when unknown
const std::vector<std::string_view>& all_phase_names();

// Detail levels: what a beginner sees, then server internals, then framework internals.
enum Level : int { kOverview = 1, kServerInternals = 2, kFrameworkInternals = 3 };

// The tracked variables that change at an event, in the order they changed.
using Vars = std::vector<std::pair<std::string, std::string>>;

struct Event {
  std::uint64_t seq = 0;  // global order, from 0
  std::int64_t t_ns = 0;  // monotonic time since the trace began
  int pid = 0;
  int tid = 0;
  Actor actor = Actor::Invalid;
  std::string lane;  // the timeline row, e.g. "server" or "worker-1"
  Phase phase = Phase::Invalid;
  int req = 0;  // the request this event belongs to; 0 when none
  int level = kOverview;
  std::string msg;
  Vars vars;
  std::string data;  // JSON object text for the inspector; empty when there is none

  // The value this event sets for `var`, if it sets one.
  std::optional<std::string_view> var(std::string_view name) const;
};

}  // namespace reqtrace::trace
