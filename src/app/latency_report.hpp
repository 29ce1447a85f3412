// The latency part of a run's report: count, p50, p95 and max per group of requests and overall.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "lesson/latency.hpp"
#include "scenario/scenario.hpp"
#include "sim/topology/send_requests.hpp"

namespace reqtrace::app {

// A scenario entry's own requests (all its clients), or the subresources its pages linked to,
// or, last, every request of the run.
struct LatencyGroup {
  std::string label;  // "GET /report ×30 clients", "subresources of GET /", "all requests"
  std::string kind;   // "entry", "subresources" or "all"
  int entry = -1;     // the scenario entry, from 0; -1 for "all"
  lesson::LatencySummary summary;  // over the requests that got a response
};

std::vector<LatencyGroup> latency_groups(const scenario::Scenario& scenario,
                                         const std::vector<topology::Exchange>& exchanges);

void print_latency(std::ostream& out, const std::vector<LatencyGroup>& groups);

// {"count", "p50_ms", "p95_ms", "max_ms"} of the whole run, and "groups": each group's.
nlohmann::json latency_json(const std::vector<LatencyGroup>& groups);

}  // namespace reqtrace::app
