#include "lesson/view/synthetic_trace.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Event;
using trace::Phase;

struct Planned {
  Actor actor;
  bool on_worker;  // else on the actor's own lane
  Phase phase;
  int level;
  std::int64_t after_ns;  // since the previous event of the request
  const char* msg;
  trace::Vars vars;
};

// One request's journey, as a pre-fork run records it.
const std::vector<Planned>& journey() {
  static const std::vector<Planned> steps = {
      {Actor::Client, false, Phase::Send, 2, 0, "Browser sends GET /item", {}},
      {Actor::Client, false, Phase::Connect, 2, 4000, "Browser opens a TCP connection", {}},
      {Actor::Worker, true, Phase::Accept, 2, 30000, "Worker accepts a connection", {}},
      {Actor::Worker, true, Phase::RequestLine, 2, 8000, "Parser reads the request line", {}},
      {Actor::Worker, true, Phase::Headers, 2, 6000, "Parser reads 3 header fields", {}},
      {Actor::Worker,
       true,
       Phase::RequestReceived,
       1,
       5000,
       "Request arrives: GET /item HTTP/1.1",
       {{"server.state", "Request received"}, {"response.sent", "No"}}},
      {Actor::Worker, true, Phase::EnvironBuilt, 2, 20000, "Worker builds environ: 22 keys", {}},
      {Actor::Worker,
       true,
       Phase::CallingApp,
       1,
       6000,
       "Worker calls the app",
       {{"server.state", "Processing request"}}},
      {Actor::App, false, Phase::Call, 3, 5000, "Flask.__call__ hands over to wsgi_app", {}},
      {Actor::App, false, Phase::Match, 3, 12000, "ctx.push() -> url_map.match: GET /item", {}},
      {Actor::App, false, Phase::Dispatch, 3, 9000, "dispatch_request() calls item()", {}},
      {Actor::App,
       false,
       Phase::View,
       3,
       4000,
       "dispatch_request calls item()",
       {{"app.state", "Running item() route"}}},
      {Actor::App, false, Phase::ViewReturn, 3, 300000, "item() returned 42 bytes of body", {}},
      {Actor::App, false, Phase::MakeResponse, 3, 8000, "make_response(): 200 OK", {}},
      {Actor::Worker, true, Phase::StartResponse, 2, 9000, "App calls start_response", {}},
      {Actor::Worker,
       true,
       Phase::ResponseReady,
       1,
       3000,
       "App returns its body",
       {{"server.state", "Waiting to send response"}, {"app.state", "Response ready"}}},
      {Actor::Worker,
       true,
       Phase::Sending,
       2,
       14000,
       "Worker writes the status line and headers",
       {}},
      {Actor::Worker,
       true,
       Phase::Sent,
       1,
       9000,
       "Worker sends the response: 200 OK",
       {{"server.state", "Idle, waiting for next request"}, {"response.sent", "Yes"}}},
      {Actor::App,
       false,
       Phase::Close,
       3,
       4000,
       "close() on the response iterable",
       {{"app.state", "Idle"}}},
      {Actor::Client, false, Phase::Receive, 1, 80000, "Client receives the response: 200 OK", {}},
  };
  return steps;
}

}  // namespace

std::vector<Event> synthetic_trace(std::size_t event_count, int workers) {
  workers = std::max(workers, 1);
  std::vector<Event> events;
  events.reserve(event_count + journey().size());
  std::uint64_t random = 0x9E3779B97F4A7C15ull;
  auto next_random = [&random] {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    return random;
  };
  Event listening;
  listening.actor = Actor::Server;
  listening.lane = "server";
  listening.phase = Phase::Listening;
  listening.level = 1;
  listening.msg = "Arbiter listens on http://127.0.0.1:8000/";
  listening.vars = {{"server.state", "Listening for requests"}};
  events.push_back(listening);

  std::int64_t start = 50000;
  for (int req = 1; events.size() < event_count; ++req) {
    // Requests arrive every 150 to 450 µs; each takes about 0.5 ms, so they overlap.
    start += 150000 + static_cast<std::int64_t>(next_random() % 300000);
    const std::string worker = "worker-" + std::to_string((req - 1) % workers + 1);
    std::int64_t t = start;
    for (const Planned& planned : journey()) {
      if (events.size() >= event_count) break;
      t += planned.after_ns + static_cast<std::int64_t>(next_random() % 2000);
      Event event;
      event.t_ns = t;
      event.pid = 4000 + (planned.on_worker ? (req - 1) % workers + 1 : 0);
      event.tid = 1;
      event.actor = planned.actor;
      event.lane = planned.on_worker ? worker : std::string(trace::name_of(planned.actor));
      event.phase = planned.phase;
      event.req = req;
      event.level = planned.level;
      event.msg = planned.msg;
      event.vars = planned.vars;
      events.push_back(std::move(event));
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.t_ns < b.t_ns; });
  for (std::size_t i = 0; i < events.size(); ++i) events[i].seq = i;
  return events;
}

scenario::Scenario synthetic_scenario(int workers) {
  scenario::Scenario scenario;
  scenario.id = "synthetic";
  scenario.title = "A busy pre-fork server (synthetic trace)";
  scenario.summary = "Made-up traffic for measuring the viewer.";
  scenario.topology.server.model = scenario::ServerModel::Prefork;
  scenario.topology.server.workers = workers;
  scenario.track = {{"server.state", "WSGI Server State", "Idle"},
                    {"app.state", "Flask App State", "Not called yet"},
                    {"response.sent", "Response Sent", "No"}};
  scenario.narration["calling_app"].any.text = "The worker calls the app.";
  return scenario;
}

}  // namespace reqtrace::lesson
