#include "lesson/view/flow_diagram.hpp"

#include <algorithm>

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Phase;

bool is_server_side(Actor actor) {
  return actor == Actor::Server || actor == Actor::Worker;
}

std::string server_caption(const scenario::Scenario& scenario) {
  switch (scenario.topology.server.model) {
    case scenario::ServerModel::Dev:
      return "dev server";
    case scenario::ServerModel::DevThreaded:
      return "dev server, threaded";
    case scenario::ServerModel::Threaded:
      return "threaded";
    case scenario::ServerModel::Prefork:
      return "pre-fork";
    case scenario::ServerModel::ForkPerRequest:
      return "fork per request";
    case scenario::ServerModel::Cgi:
      return "CGI";
    default:
      return "";
  }
}

const std::string kWorkerLane = "worker-";

bool is_worker_lane(const std::string& lane) {
  return lane.rfind(kWorkerLane, 0) == 0;
}

FlowBox server_box(const std::string& lane, Actor actor, const scenario::Scenario& scenario,
                   bool has_workers) {
  FlowBox box;
  box.lane = lane;
  box.actor = actor;
  const std::string& worker = kWorkerLane;
  if (has_workers && !is_worker_lane(lane)) {
    // Beside its workers, the server's own lane is the arbiter: it forks them and
    // watches them, but never serves a request itself.
    box.title = "Arbiter";
    box.caption = "forks the workers";
  } else if (is_worker_lane(lane)) {
    box.title = "Worker " + lane.substr(worker.size());
    box.caption = server_caption(scenario);
  } else {
    box.title = "WSGI server";
    box.caption = server_caption(scenario);
  }
  return box;
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
  diagram.boxes.push_back({"client", "Browser", "HTTP client", Actor::Client, false});
  const bool has_proxy = scenario.topology.proxy.has_value() ||
                         std::any_of(lanes.begin(), lanes.end(),
                                     [](const auto& lane) { return lane.second == Actor::Proxy; });
  std::optional<std::size_t> proxy;
  if (has_proxy) {
    proxy = diagram.boxes.size();
    diagram.boxes.push_back({"proxy", "Proxy", "nginx-like", Actor::Proxy, false});
  }
  const bool has_workers = std::any_of(lanes.begin(), lanes.end(), [](const auto& lane) {
    return is_server_side(lane.second) && is_worker_lane(lane.first);
  });
  const std::size_t first_server = diagram.boxes.size();
  for (const auto& [lane, actor] : lanes)
    if (is_server_side(actor))
      diagram.boxes.push_back(server_box(lane, actor, scenario, has_workers));
  if (diagram.boxes.size() == first_server)
    diagram.boxes.push_back(server_box("server", Actor::Server, scenario, false));
  const std::size_t end_server = diagram.boxes.size();
  const std::size_t app = diagram.boxes.size();
  diagram.boxes.push_back({"app", "Flask app", "your views", Actor::App, false});
  // The boxes that serve requests: every server box, or only the workers when there are some.
  auto serves = [&](std::size_t box) {
    return box >= first_server && box < end_server &&
           (!has_workers || is_worker_lane(diagram.boxes[box].lane));
  };

  const std::size_t front = proxy.value_or(0);
  if (proxy) diagram.arrows.push_back({0, *proxy, false});
  for (std::size_t s = first_server; s < end_server; ++s)
    if (serves(s)) diagram.arrows.push_back({front, s, false});
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
      arrow = arrow_between(0, proxy.value_or(server));
      break;
    case Hop::ServerSide:
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
