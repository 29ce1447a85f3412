#include "lesson/view/flow_diagram.hpp"

#include <algorithm>

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Phase;

bool is_server_side(Actor actor) {
  return actor == Actor::Server || actor == Actor::Worker;
}

using Model = scenario::ServerModel;

const std::string kWorkerLane = "worker-";
const std::string kPoolThread = "/thread-";

int workers_of(const scenario::Scenario& scenario) {
  return scenario.topology.server.workers.value_or(1);
}

// The model in one sentence, from the real server's source.
std::string structure_of(const scenario::Scenario& scenario) {
  const std::string n = std::to_string(workers_of(scenario));
  switch (scenario.topology.server.model) {
    case Model::Dev:
      return "Werkzeug's BaseWSGIServer: one process, one thread. It binds the socket, accepts a "
             "connection and serves it, one at a time.";
    case Model::DevThreaded:
      return "Werkzeug's ThreadedWSGIServer, what app.run() serves with: one process. Its main "
             "thread binds the socket and accepts, and starts a new thread for each connection, "
             "with no limit.";
    case Model::Threaded:
      return "gunicorn -k gthread --threads " + n +
             ": the arbiter, the master process, binds the socket and forks one worker process. "
             "The worker's main thread polls the socket and accepts; it queues each connection "
             "for a pool of " +
             n + " threads, and each thread serves one request at a time.";
    case Model::Prefork:
      return "gunicorn's sync workers: the arbiter, the master process, binds the socket and "
             "forks " +
             n +
             " worker processes. Each inherits the socket, accepts on it and serves one "
             "connection at a time; the arbiter accepts nothing.";
    case Model::ForkPerRequest:
      return "Werkzeug's ForkingWSGIServer: the server process binds and accepts, and forks a "
             "child process for each connection, which serves it and exits.";
    case Model::Cgi:
      return "A CGI server: it binds and accepts, and runs a new program for each request, which "
             "builds the app, serves that one request and exits.";
    default:
      return "";
  }
}

// A server-side lane's box: what it is in the model's structure.
FlowBox server_box(const std::string& lane, Actor actor, const scenario::Scenario& scenario,
                   int first_column) {
  FlowBox box;
  box.lane = lane;
  box.actor = actor;
  box.column = first_column;
  const bool worker = lane.rfind(kWorkerLane, 0) == 0;
  const std::string name = worker ? lane.substr(kWorkerLane.size()) : lane;
  const std::string n = std::to_string(workers_of(scenario));
  switch (scenario.topology.server.model) {
    case Model::Threaded:
      if (!worker) {
        box.title = "Arbiter";
        box.caption = "binds the socket, forks the worker";
        box.binds = true;
      } else if (auto thread = name.find(kPoolThread); thread != std::string::npos) {
        box.title = "Pool thread " + name.substr(thread + kPoolThread.size());
        box.caption = "a thread: serves one request at a time";
        box.process = false;
        box.serves = true;
        box.column = first_column + 1;
      } else {
        box.title = "Worker " + name;
        box.caption = "main thread: its poller accepts";
        box.accepts = true;
      }
      return box;
    case Model::Prefork:
      if (!worker) {
        box.title = "Arbiter";
        box.caption = "binds the socket, forks " + n + " workers";
        box.binds = true;
      } else {
        box.title = "Worker " + name;
        box.caption = "a process: accepts, serves";
        box.accepts = box.serves = true;
      }
      return box;
    case Model::ForkPerRequest:
    case Model::Cgi: {
      const bool cgi = scenario.topology.server.model == Model::Cgi;
      if (!worker) {
        box.title = cgi ? "CGI server" : "WSGI server";
        box.caption = cgi ? "binds, accepts, runs a program per request"
                          : "binds, accepts, forks a child per connection";
        box.binds = box.accepts = true;
      } else {
        box.title = (cgi ? "Program " : "Child ") + name;
        box.caption = cgi ? "a new process: one request" : "a forked process: one connection";
        box.serves = true;
        box.column = first_column + 1;
      }
      return box;
    }
    case Model::DevThreaded: {
      // Werkzeug's ThreadedWSGIServer: the main thread accepts; each connection gets a thread.
      const std::string kThreadLane = "thread-";
      if (lane.rfind(kThreadLane, 0) == 0) {
        box.title = "Thread " + lane.substr(kThreadLane.size());
        box.caption = "a new thread: one connection";
        box.process = false;
        box.serves = true;
        box.column = first_column + 1;
      } else {
        box.title = "WSGI server";
        box.caption = "main thread binds, accepts, starts a thread per connection";
        box.binds = box.accepts = true;
      }
      return box;
    }
    default:  // dev: Werkzeug's BaseWSGIServer
      box.title = "WSGI server";
      box.caption = "one thread binds, accepts, serves";
      box.binds = box.accepts = box.serves = true;
      return box;
  }
}

// The lanes the model has from its start, before any of them has spoken; a pool thread or a
// child appears when it does.
std::vector<std::string> structural_lanes(const scenario::Scenario& scenario) {
  std::vector<std::string> lanes{"server"};
  const Model model = scenario.topology.server.model;
  if (model == Model::Prefork)
    for (int k = 1; k <= workers_of(scenario); ++k)
      lanes.push_back(kWorkerLane + std::to_string(k));
  if (model == Model::Threaded) lanes.push_back(kWorkerLane + "1");
  return lanes;
}

// Where a phase puts the request: on which hop, which way, how far along.
struct Hop {
  enum Which { None, ClientSide, ServerSide, AppSide, ProxyToServer } which = None;
  bool towards_app = true;
  float progress = 0.5f;
  const char* what = "";
};

Hop hop_of(Actor actor, Phase phase) {
  switch (phase) {
    case Phase::Send:
      if (actor == Actor::Proxy) return {Hop::ClientSide, false, 0.5f, "response"};
      return {Hop::ClientSide, true, 0.2f, "request"};
    case Phase::Connect:
      return {Hop::ClientSide, true, 0.5f, "TCP connect"};
    case Phase::Accept:
      if (actor == Actor::Proxy) return {Hop::ClientSide, true, 0.95f, "request"};
      return {Hop::ServerSide, true, 0.9f, "request"};
    case Phase::Forward:
      return {Hop::ProxyToServer, true, 0.5f, "request"};
    case Phase::UpstreamResponse:
      return {Hop::ProxyToServer, false, 0.95f, "response"};
    case Phase::CallingApp:
      return {Hop::AppSide, true, 0.5f, "environ"};
    case Phase::StartResponse:
      return {Hop::AppSide, false, 0.5f, "status, headers"};
    case Phase::ResponseReady:
      return {Hop::AppSide, false, 0.95f, "body iterable"};
    case Phase::Sending:
      return {Hop::ServerSide, false, 0.3f, "response"};
    case Phase::Sent:
      return {Hop::ServerSide, false, 0.7f, "response"};
    case Phase::Receive:
      return {Hop::ClientSide, false, 1.0f, "response"};
    default:
      return {};
  }
}

}  // namespace

FlowDiagram flow_diagram(const scenario::Scenario& scenario,
                         const std::vector<trace::Event>& events,
                         const std::vector<std::pair<std::string, trace::Actor>>& lanes,
                         std::optional<std::size_t> current) {
  FlowDiagram diagram;
  diagram.structure = structure_of(scenario);
  int column = 0;
  diagram.boxes.push_back({"client", "Browser", "HTTP client", Actor::Client, false});
  diagram.boxes.back().column = column++;
  const bool has_proxy = scenario.topology.proxy.has_value() ||
                         std::any_of(lanes.begin(), lanes.end(),
                                     [](const auto& lane) { return lane.second == Actor::Proxy; });
  std::optional<std::size_t> proxy;
  if (has_proxy) {
    proxy = diagram.boxes.size();
    diagram.boxes.push_back({"proxy", "Proxy", "nginx-like", Actor::Proxy, false});
    diagram.boxes.back().column = column++;
  }
  const std::size_t first_server = diagram.boxes.size();
  std::vector<std::pair<std::string, Actor>> server_lanes;
  for (const auto& lane : structural_lanes(scenario))
    server_lanes.emplace_back(lane, lane == "server" ? Actor::Server : Actor::Worker);
  for (const auto& named : lanes) {
    if (!is_server_side(named.second)) continue;
    const auto known = std::find_if(server_lanes.begin(), server_lanes.end(),
                                    [&](const auto& seen) { return seen.first == named.first; });
    if (known == server_lanes.end()) server_lanes.push_back(named);
  }
  for (const auto& [lane, actor] : server_lanes)
    diagram.boxes.push_back(server_box(lane, actor, scenario, column));
  const std::size_t end_server = diagram.boxes.size();
  for (std::size_t b = first_server; b < end_server; ++b)
    column = std::max(column, diagram.boxes[b].column + 1);
  const std::size_t app = diagram.boxes.size();
  diagram.boxes.push_back({"app", "Flask app", "your views", Actor::App, false});
  diagram.boxes.back().column = column;

  auto serves = [&](std::size_t box) {
    return box >= first_server && box < end_server && diagram.boxes[box].serves;
  };
  auto accepts = [&](std::size_t box) {
    return box >= first_server && box < end_server && diagram.boxes[box].accepts;
  };
  // Who hands connections to a box that serves without accepting: the acceptor of its own
  // process group (a pool thread's worker), else the first.
  auto acceptor_of = [&](std::size_t box) -> std::optional<std::size_t> {
    std::optional<std::size_t> first;
    for (std::size_t a = first_server; a < end_server; ++a) {
      if (!accepts(a)) continue;
      if (!first) first = a;
      if (diagram.boxes[box].lane.rfind(diagram.boxes[a].lane + "/", 0) == 0) return a;
    }
    return first;
  };

  const std::size_t front = proxy.value_or(0);
  if (proxy) diagram.arrows.push_back({0, *proxy, false});
  for (std::size_t s = first_server; s < end_server; ++s)
    if (accepts(s)) diagram.arrows.push_back({front, s, false});
  for (std::size_t s = first_server; s < end_server; ++s) {
    if (!serves(s) || accepts(s)) continue;
    if (auto from = acceptor_of(s)) diagram.arrows.push_back({*from, s, false});
    diagram.arrows.push_back({front, s, false});  // it reads and writes the connection itself
  }
  for (std::size_t s = first_server; s < end_server; ++s)
    if (serves(s)) diagram.arrows.push_back({s, app, false});
  auto arrow_between = [&](std::size_t from, std::size_t to) -> std::optional<std::size_t> {
    for (std::size_t a = 0; a < diagram.arrows.size(); ++a)
      if (diagram.arrows[a].from == from && diagram.arrows[a].to == to) return a;
    return std::nullopt;
  };

  if (!current || *current >= events.size()) return diagram;
  const trace::Event& event = events[*current];
  diagram.req = event.req;
  diagram.happening = event.msg;

  auto box_of_lane = [&](const std::string& lane) -> std::optional<std::size_t> {
    for (std::size_t b = 0; b < diagram.boxes.size(); ++b)
      if (diagram.boxes[b].lane == lane) return b;
    return std::nullopt;
  };
  std::optional<std::size_t> lit = box_of_lane(event.lane);
  if (!lit)
    for (std::size_t b = 0; b < diagram.boxes.size() && !lit; ++b)
      if (diagram.boxes[b].actor == event.actor ||
          (is_server_side(event.actor) && is_server_side(diagram.boxes[b].actor)))
        lit = b;
  if (lit) {
    diagram.boxes[*lit].lit = true;
    diagram.lit_box = lit;
  }

  // The server box serving this request: the current event's own, or that of a
  // neighbouring event of the same request.
  std::size_t server = first_server;
  while (server + 1 < end_server && !serves(server)) ++server;
  if (lit && serves(*lit)) {
    server = *lit;
  } else if (event.req != 0) {
    constexpr std::size_t kLookAround = 512;
    const std::size_t from = *current > kLookAround ? *current - kLookAround : 0;
    const std::size_t to = std::min(events.size(), *current + kLookAround);
    for (std::size_t i = from; i < to; ++i) {
      if (events[i].req != event.req || !is_server_side(events[i].actor)) continue;
      if (auto box = box_of_lane(events[i].lane); box && serves(*box)) {
        server = *box;
        break;
      }
    }
  }

  const Hop hop = hop_of(event.actor, event.phase);
  std::optional<std::size_t> arrow;
  switch (hop.which) {
    case Hop::ClientSide:
      // A connection is made to the box that accepts; bytes go to the one that serves.
      if (!proxy && event.phase == Phase::Connect && !accepts(server))
        arrow = arrow_between(0, acceptor_of(server).value_or(server));
      else
        arrow = arrow_between(0, proxy.value_or(server));
      break;
    case Hop::ServerSide:
      // An accept arrives at the box that accepts; the rest at the box that serves.
      if (event.phase == Phase::Accept && lit && accepts(*lit))
        arrow = arrow_between(front, *lit);
      else
        arrow = arrow_between(front, server);
      break;
    case Hop::ProxyToServer:
      if (proxy) arrow = arrow_between(*proxy, server);
      break;
    case Hop::AppSide:
      arrow = arrow_between(server, app);
      break;
    case Hop::None:
      break;
  }
  if (arrow) {
    diagram.arrows[*arrow].active = true;
    diagram.travel = FlowTravel{*arrow, hop.towards_app, hop.progress, hop.what};
  }
  return diagram;
}

}  // namespace reqtrace::lesson
