// The flow diagram draws each server model's real structure: who binds, who accepts, whether the
// ones serving are threads or processes.
#include "lesson/view/flow_diagram.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Phase;
using Lanes = std::vector<std::pair<std::string, Actor>>;

scenario::Scenario with_model(scenario::ServerModel model, int workers) {
  scenario::Scenario scenario;
  scenario.topology.server.model = model;
  scenario.topology.server.workers = workers;
  return scenario;
}

// "Title: binds accepts serves process|thread @column" for each box, and "from > to" per arrow.
std::vector<std::string> boxes_of(const FlowDiagram& diagram) {
  std::vector<std::string> out;
  for (const auto& box : diagram.boxes) {
    std::string line = box.title + ":";
    if (box.actor == Actor::Server || box.actor == Actor::Worker) {
      if (box.binds) line += " binds";
      if (box.accepts) line += " accepts";
      if (box.serves) line += " serves";
      line += box.process ? " process" : " thread";
    }
    out.push_back(line + " @" + std::to_string(box.column));
  }
  return out;
}

std::vector<std::string> arrows_of(const FlowDiagram& diagram) {
  std::vector<std::string> out;
  for (const auto& arrow : diagram.arrows)
    out.push_back(diagram.boxes[arrow.from].title + " > " + diagram.boxes[arrow.to].title);
  return out;
}

trace::Event event(Actor actor, const std::string& lane, Phase phase, int req) {
  trace::Event e;
  e.actor = actor;
  e.lane = lane;
  e.phase = phase;
  e.req = req;
  return e;
}

TEST(FlowDiagram, TheDevServerIsOneThreadThatBindsAcceptsAndServes) {
  const auto diagram = flow_diagram(with_model(scenario::ServerModel::Dev, 1), {},
                                    Lanes{{"server", Actor::Server}}, std::nullopt);
  EXPECT_EQ(boxes_of(diagram),
            (std::vector<std::string>{"Browser: @0", "WSGI server: binds accepts serves process @1",
                                      "Flask app: @2"}));
  EXPECT_EQ(arrows_of(diagram),
            (std::vector<std::string>{"Browser > WSGI server", "WSGI server > Flask app"}));
  EXPECT_NE(diagram.structure.find("one thread"), std::string::npos);
}

TEST(FlowDiagram, ThreadedIsAnArbiterThatBindsAWorkerWhosePollerAcceptsAndPoolThreadsThatServe) {
  const Lanes lanes{{"server", Actor::Server},
                    {"worker-1", Actor::Worker},
                    {"worker-1/thread-1", Actor::Worker},
                    {"worker-1/thread-2", Actor::Worker}};
  const auto diagram =
      flow_diagram(with_model(scenario::ServerModel::Threaded, 2), {}, lanes, std::nullopt);
  EXPECT_EQ(
      boxes_of(diagram),
      (std::vector<std::string>{"Browser: @0", "Arbiter: binds process @1",
                                "Worker 1: accepts process @1", "Pool thread 1: serves thread @2",
                                "Pool thread 2: serves thread @2", "Flask app: @3"}));
  // The connection goes to the poller, which hands it to a pool thread; the thread reads and
  // writes the connection itself and calls the app. Nothing goes through the arbiter.
  EXPECT_EQ(arrows_of(diagram),
            (std::vector<std::string>{"Browser > Worker 1", "Worker 1 > Pool thread 1",
                                      "Browser > Pool thread 1", "Worker 1 > Pool thread 2",
                                      "Browser > Pool thread 2", "Pool thread 1 > Flask app",
                                      "Pool thread 2 > Flask app"}));
  EXPECT_NE(diagram.structure.find("main thread polls the socket and accepts"), std::string::npos);
}

TEST(FlowDiagram, BeforeAnyEventTheModelsProcessesAreDrawn) {
  const auto threaded =
      flow_diagram(with_model(scenario::ServerModel::Threaded, 4), {}, {}, std::nullopt);
  EXPECT_EQ(boxes_of(threaded),
            (std::vector<std::string>{"Browser: @0", "Arbiter: binds process @1",
                                      "Worker 1: accepts process @1", "Flask app: @2"}));
  const auto prefork =
      flow_diagram(with_model(scenario::ServerModel::Prefork, 2), {}, {}, std::nullopt);
  EXPECT_EQ(boxes_of(prefork),
            (std::vector<std::string>{"Browser: @0", "Arbiter: binds process @1",
                                      "Worker 1: accepts serves process @1",
                                      "Worker 2: accepts serves process @1", "Flask app: @2"}));
}

TEST(FlowDiagram, PreforkTheArbiterBindsAndEachWorkerProcessAccepts) {
  const Lanes lanes{{"server", Actor::Server}, {"worker-1", Actor::Worker}};
  const auto diagram =
      flow_diagram(with_model(scenario::ServerModel::Prefork, 1), {}, lanes, std::nullopt);
  EXPECT_EQ(arrows_of(diagram),
            (std::vector<std::string>{"Browser > Worker 1", "Worker 1 > Flask app"}));
  EXPECT_NE(diagram.structure.find("the arbiter accepts nothing"), std::string::npos);
}

TEST(FlowDiagram, ForkPerRequestTheServerAcceptsAndAChildProcessServes) {
  const Lanes lanes{{"server", Actor::Server}, {"worker-4242", Actor::Worker}};
  const auto diagram =
      flow_diagram(with_model(scenario::ServerModel::ForkPerRequest, 40), {}, lanes, std::nullopt);
  EXPECT_EQ(boxes_of(diagram),
            (std::vector<std::string>{"Browser: @0", "WSGI server: binds accepts process @1",
                                      "Child 4242: serves process @2", "Flask app: @3"}));
  EXPECT_EQ(arrows_of(diagram),
            (std::vector<std::string>{"Browser > WSGI server", "WSGI server > Child 4242",
                                      "Browser > Child 4242", "Child 4242 > Flask app"}));
}

TEST(FlowDiagram, CgiTheServerAcceptsAndAProgramPerRequestServes) {
  const Lanes lanes{{"server", Actor::Server}, {"worker-77", Actor::Worker}};
  const auto diagram =
      flow_diagram(with_model(scenario::ServerModel::Cgi, 1), {}, lanes, std::nullopt);
  EXPECT_EQ(boxes_of(diagram),
            (std::vector<std::string>{"Browser: @0", "CGI server: binds accepts process @1",
                                      "Program 77: serves process @2", "Flask app: @3"}));
}

TEST(FlowDiagram, AnAcceptTravelsToThePollerAndTheResponseLeavesFromThePoolThread) {
  const Lanes lanes{
      {"server", Actor::Server}, {"worker-1", Actor::Worker}, {"worker-1/thread-1", Actor::Worker}};
  const std::vector<trace::Event> events{
      event(Actor::Server, "worker-1", Phase::Accept, 0),
      event(Actor::Server, "worker-1/thread-1", Phase::CallingApp, 1),
      event(Actor::Server, "worker-1/thread-1", Phase::Sent, 1)};
  const auto scenario = with_model(scenario::ServerModel::Threaded, 1);
  auto travel = [&](std::size_t at) {
    const auto diagram = flow_diagram(scenario, events, lanes, at);
    if (!diagram.travel) return std::string("none");
    const auto& arrow = diagram.arrows[diagram.travel->arrow];
    return diagram.boxes[arrow.from].title + " > " + diagram.boxes[arrow.to].title;
  };
  EXPECT_EQ(travel(0), "Browser > Worker 1");
  EXPECT_EQ(travel(1), "Pool thread 1 > Flask app");
  EXPECT_EQ(travel(2), "Browser > Pool thread 1");
}

}  // namespace
}  // namespace reqtrace::lesson
