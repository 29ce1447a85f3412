// The flow diagram: boxes for client, proxy, the server model's processes and threads (who binds,
// who accepts, who serves) and app, and where the request is.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

struct FlowBox {
  std::string lane;     // the timeline lane this box stands for, e.g. "worker-2"
  std::string title;    // what a student calls it: "Browser", "WSGI server", "Flask app"
  std::string caption;  // a detail under the title: "dev server", "worker 2"
  trace::Actor actor = trace::Actor::Invalid;
  bool lit = false;  // the box acting at the current step
  // Its part in the server model's structure (server-side boxes only).
  bool process = true;   // a process of its own; false: a thread of another box's process
  bool binds = false;    // bind() + listen() on the listening socket
  bool accepts = false;  // accept() on it
  bool serves = false;   // reads requests and calls the app
  int column = 0;        // left to right; boxes of one column stack
};

// An arrow between two neighbouring boxes; the request goes along it towards
// `to` and the response comes back the other way.
struct FlowArrow {
  std::size_t from = 0, to = 0;
  bool active = false;  // the request or response is on this arrow now
};

// Where the request (or its response) is at the current step.
struct FlowTravel {
  std::size_t arrow = 0;
  bool towards_app = true;  // false: the response travelling back to the browser
  float progress = 0.5f;    // how far along, 0 at the start of its way, 1 on arrival
  std::string what;         // "GET /", "environ", "200 OK"
};

struct FlowDiagram {
  std::vector<FlowBox> boxes;  // left to right: client, proxy, servers/workers, app
  std::vector<FlowArrow> arrows;
  std::optional<FlowTravel> travel;
  std::optional<std::size_t> lit_box;
  int req = 0;            // the request of the current step, 0 when none
  std::string happening;  // the current event's message
  std::string structure;  // the model in one sentence: who binds, who accepts, threads or processes
};

// The diagram at event `current` (none: the boxes alone). Boxes come from the
// scenario's topology (the server model's structure) and the lanes the events
// have used so far; `lanes` are the timeline's rows in journey order. Arrows go
// from the front (browser or proxy) to each box that accepts, from an acceptor
// to the boxes it hands connections to, from the front to those (they read and
// write the connection themselves) and from each box that serves to the app.
FlowDiagram flow_diagram(const scenario::Scenario& scenario,
                         const std::vector<trace::Event>& events,
                         const std::vector<std::pair<std::string, trace::Actor>>& lanes,
                         std::optional<std::size_t> current);

}  // namespace reqtrace::lesson
