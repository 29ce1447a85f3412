// The classic lesson: its trace made by hand (level-1 steps with finer events between them),
// its tracked variables, and the values its execution table shows, which a real run must match.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

inline trace::Event make(trace::Phase phase, int level, trace::Vars vars = {}, int req = 1) {
  trace::Event event;
  event.actor = trace::Actor::Server;
  event.phase = phase;
  event.level = level;
  event.req = req;
  event.msg = std::string(trace::name_of(phase));
  event.vars = std::move(vars);
  return event;
}

inline std::vector<trace::Event> classic_events() {
  using trace::Phase;
  return {
      make(Phase::Listening, 1, {{"server.state", "Listening for requests"}}, 0),
      make(Phase::Accept, 2, {}, 0),
      make(Phase::RequestReceived, 1, {{"server.state", "Request received"}}),
      make(Phase::CallingApp, 1, {{"server.state", "Processing request"}}),
      make(Phase::View, 3, {{"app.state", "Running home() route"}}),
      make(Phase::ResponseReady, 1,
           {{"server.state", "Waiting to send response"}, {"app.state", "Response ready"}}),
      make(Phase::Sent, 1,
           {{"server.state", "Idle, waiting for next request"}, {"response.sent", "Yes"}}),
      make(Phase::Close, 3, {{"app.state", "Idle"}}),
      make(Phase::Receive, 1),
  };
}

inline std::vector<scenario::Tracked> classic_track() {
  return {{"server.state", "WSGI Server State", "Idle"},
          {"app.state", "Flask App State", "Not called yet"},
          {"response.sent", "Response Sent", "No"}};
}

// The tracked variables' values after each of the six steps, as the classic table shows them.
inline std::vector<std::vector<std::string>> classic_table() {
  return {
      {"Listening for requests", "Not called yet", "No"},
      {"Request received", "Not called yet", "No"},
      {"Processing request", "Running home() route", "No"},
      {"Waiting to send response", "Response ready", "No"},
      {"Idle, waiting for next request", "Idle", "Yes"},
      {"Idle, waiting for next request", "Idle", "Yes"},
  };
}

}  // namespace reqtrace::lesson
