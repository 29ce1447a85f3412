// Crowds for real: browsers released together, every request numbered once, entries one after
// another; and the shipped crowd lessons, where the dev server takes one request at a time and
// four workers take several.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sim/topology/send_requests.hpp"
#include "sim/topology/stack.hpp"
#include "support/process.hpp"
#include "support/recorded_run.hpp"
#include "support/route.hpp"
#include "support/temp_path.hpp"

namespace reqtrace::topology {
namespace {

using nlohmann::json;
using trace::Phase;
namespace fs = std::filesystem;

using reqtrace::testing::route;

scenario::Request get(std::string path, int clients = 1) {
  scenario::Request request;
  request.path = std::move(path);
  request.clients = clients;
  return request;
}

using testing::RecordedRun;
using testing::run_scenario;

TEST(Crowd, EachBrowserItsOwnLaneEachRequestItsOwnNumber) {
  scenario::Scenario s;
  s.id = "small-crowd";
  s.routes = {route("/", "home", R"(<img src="/a.png"><script src="/b.js"></script>)"),
              route("/a.png", "a", "A"), route("/b.js", "b", "B")};
  s.topology.server.model = scenario::ServerModel::Threaded;
  s.topology.server.workers = 4;
  s.requests = {get("/", 5)};
  const RecordedRun result = run_scenario(s);
  ASSERT_EQ(result.exchanges.size(), 15u);  // 5 pages, 2 subresources each
  std::set<int> reqs;
  std::map<std::string, int> pages_per_client;
  for (const auto& exchange : result.exchanges) {
    EXPECT_EQ(exchange.response.status, 200) << exchange.request.path;
    reqs.insert(exchange.req);
    const std::string client = exchange.lane.substr(0, exchange.lane.find('/'));
    if (exchange.kind == "page") ++pages_per_client[client];
  }
  EXPECT_EQ(reqs.size(), 15u);
  EXPECT_EQ(*reqs.begin(), 1);
  EXPECT_EQ(*reqs.rbegin(), 15);
  EXPECT_EQ(pages_per_client, (std::map<std::string, int>{
                                  {"client-1", 1},
                                  {"client-2", 1},
                                  {"client-3", 1},
                                  {"client-4", 1},
                                  {"client-5", 1},
                              }));
  // Each number reached the server once, for the path the browser sent under it.
  std::map<int, std::string> server_saw;
  for (const auto& event : result.events)
    if (event.phase == Phase::RequestLine) {
      EXPECT_TRUE(server_saw.emplace(event.req, json::parse(event.data)["target"]).second);
    }
  std::map<int, std::string> browser_sent;
  for (const auto& exchange : result.exchanges) browser_sent[exchange.req] = exchange.request.path;
  EXPECT_EQ(server_saw, browser_sent);
}

TEST(Crowd, TheNextEntryStartsWhenTheWholeCrowdHasItsAnswers) {
  scenario::Scenario s;
  s.id = "two-entries";
  s.routes = {route("/", "home", "hi"), route("/after", "after", "later")};
  s.requests = {get("/", 4), get("/after")};
  const RecordedRun result = run_scenario(s);
  ASSERT_EQ(result.exchanges.size(), 5u);
  const Exchange& after = result.exchanges.back();
  EXPECT_EQ(after.entry, 1u);
  EXPECT_EQ(after.req, 5);
  EXPECT_EQ(after.lane, "client");
  std::uint64_t last_crowd_receive = 0, after_send = 0;
  for (const auto& event : result.events) {
    if (event.actor != trace::Actor::Client) continue;
    if (event.phase == Phase::Receive && event.req != after.req)
      last_crowd_receive = std::max(last_crowd_receive, event.seq);
    if (event.phase == Phase::Send && event.req == after.req) after_send = event.seq;
  }
  EXPECT_LT(last_crowd_receive, after_send);
}

// The shipped crowd lessons, run as a user runs them.

using reqtrace::testing::temp_path;

// The trace's events, each as JSON, in seq order.
std::vector<json> read_events(const fs::path& trace) {
  std::ifstream in(trace);
  std::vector<json> events;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) events.push_back(json::parse(line));
  std::sort(events.begin(), events.end(),
            [](const json& a, const json& b) { return a["seq"] < b["seq"]; });
  return events;
}

// Per request, the seqs of the server's first and last event of a phase pair: its span.
std::map<int, std::pair<std::uint64_t, std::uint64_t>> server_spans(const std::vector<json>& events,
                                                                    const std::string& from,
                                                                    const std::string& to) {
  std::map<int, std::pair<std::uint64_t, std::uint64_t>> spans;
  for (const auto& event : events) {
    if (event["actor"] != "server") continue;
    const int req = event["req"];
    if (event["phase"] == from) spans[req].first = event["seq"];
    if (event["phase"] == to) spans[req].second = event["seq"];
  }
  return spans;
}

// How many span pairs overlap, from the order of the trace alone.
int overlapping_pairs(const std::map<int, std::pair<std::uint64_t, std::uint64_t>>& spans) {
  int pairs = 0;
  for (auto a = spans.begin(); a != spans.end(); ++a)
    for (auto b = std::next(a); b != spans.end(); ++b)
      pairs += a->second.first < b->second.second && b->second.first < a->second.second;
  return pairs;
}

// Every request of the crowd numbered once, 1 to 30, and seen at both ends.
void expect_thirty_tied_requests(const std::vector<json>& events) {
  std::map<int, int> sends, receives, received_by_server;
  for (const auto& event : events) {
    const int req = event["req"];
    if (event["actor"] == "client" && event["phase"] == "send") ++sends[req];
    if (event["actor"] == "client" && event["phase"] == "receive") ++receives[req];
    if (event["phase"] == "request_received") ++received_by_server[req];
  }
  std::map<int, int> once;
  for (int req = 1; req <= 30; ++req) once[req] = 1;
  EXPECT_EQ(sends, once);
  EXPECT_EQ(receives, once);
  EXPECT_EQ(received_by_server, once);
}

TEST(CrowdLessons, TheDevServerTakesOneRequestAtATimeAndRunPrintsTheLatency) {
  const auto trace = temp_path("dev.jsonl");
  auto result = reqtrace::testing::run_process(
      {REQTRACE_BINARY, "run", "dev-server-crowd", "--trace", trace.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Latency (nearest-rank percentiles"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Requests                | Count | p50"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("GET /report ×30 clients | 30    |"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("all requests            | 30    |"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("| p95 "), std::string::npos);
  EXPECT_NE(result.out.find("| Max"), std::string::npos);

  const auto events = read_events(trace);
  expect_thirty_tied_requests(events);
  const auto spans = server_spans(events, "request_received", "sent");
  ASSERT_EQ(spans.size(), 30u);
  EXPECT_EQ(overlapping_pairs(spans), 0) << "the dev server served two requests at once";
}

TEST(CrowdLessons, FourWorkersRunTheAppForSeveralRequestsAtOnce) {
  for (const char* lesson : {"prefork-crowd", "threaded-crowd"}) {
    SCOPED_TRACE(lesson);
    const auto trace = temp_path(std::string(lesson) + ".jsonl");
    auto result = reqtrace::testing::run_process(
        {REQTRACE_BINARY, "run", lesson, "--json", "--trace", trace.string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const json latency = json::parse(result.out)["latency"];
    EXPECT_EQ(latency["count"], 30);
    EXPECT_LE(latency["p50_ms"].get<double>(), latency["p95_ms"].get<double>());
    EXPECT_LE(latency["p95_ms"].get<double>(), latency["max_ms"].get<double>());
    ASSERT_EQ(latency["groups"].size(), 1u);
    EXPECT_EQ(latency["groups"][0]["requests"], "GET /report ×30 clients");

    const auto events = read_events(trace);
    expect_thirty_tied_requests(events);
    const auto app_calls = server_spans(events, "calling_app", "response_ready");
    ASSERT_EQ(app_calls.size(), 30u);
    EXPECT_GE(overlapping_pairs(app_calls), 1) << "no two app calls overlapped";
  }
}

}  // namespace
}  // namespace reqtrace::topology
