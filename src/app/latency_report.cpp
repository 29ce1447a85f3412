#include "app/latency_report.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/text_table.hpp"

namespace reqtrace::app {
namespace {

std::string milliseconds(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", ms);
  return text;
}

nlohmann::json summary_json(const lesson::LatencySummary& summary) {
  return {{"count", summary.count},
          {"p50_ms", summary.p50_ms},
          {"p95_ms", summary.p95_ms},
          {"max_ms", summary.max_ms}};
}

}  // namespace

std::vector<LatencyGroup> latency_groups(const scenario::Scenario& scenario,
                                         const std::vector<topology::Exchange>& exchanges) {
  std::vector<LatencyGroup> groups;
  auto latencies = [&exchanges](auto keep) {
    std::vector<double> out;
    for (const auto& exchange : exchanges)
      if (exchange.response.ok && keep(exchange)) out.push_back(exchange.response.latency_ms);
    return out;
  };
  for (std::size_t entry = 0; entry < scenario.requests.size(); ++entry) {
    const scenario::Request& request = scenario.requests[entry];
    const std::string name = request.method + " " + request.path;
    const int index = static_cast<int>(entry);
    groups.push_back(
        {name + (request.clients > 1 ? " ×" + std::to_string(request.clients) + " clients" : ""),
         "entry", index, lesson::summarize_latencies(latencies([entry](const auto& exchange) {
           return exchange.entry == entry && exchange.page_req == 0;
         }))});
    bool linked = false;
    for (const auto& exchange : exchanges) linked |= exchange.entry == entry && exchange.page_req;
    if (linked)
      groups.push_back({"subresources of " + name, "subresources", index,
                        lesson::summarize_latencies(latencies([entry](const auto& exchange) {
                          return exchange.entry == entry && exchange.page_req != 0;
                        }))});
  }
  groups.push_back({"all requests", "all", -1,
                    lesson::summarize_latencies(latencies([](const auto&) { return true; }))});
  return groups;
}

void print_latency(std::ostream& out, const std::vector<LatencyGroup>& groups) {
  // Nearest-rank percentiles (lesson/latency.hpp): each figure is a time a request really took.
  out << "Latency (nearest-rank percentiles, over the requests that got a response)\n\n";
  TextTable table({"Requests", "Count", "p50", "p95", "Max"});
  for (const auto& group : groups) {
    const auto& summary = group.summary;
    const bool any = summary.count > 0;
    table.add_row(
        {group.label, std::to_string(summary.count), any ? milliseconds(summary.p50_ms) : "—",
         any ? milliseconds(summary.p95_ms) : "—", any ? milliseconds(summary.max_ms) : "—"});
  }
  table.print(out);
}

nlohmann::json latency_json(const std::vector<LatencyGroup>& groups) {
  nlohmann::json out = nlohmann::json::object();
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& group : groups) {
    if (group.kind == "all") {
      out = summary_json(group.summary);
      continue;
    }
    nlohmann::json one = summary_json(group.summary);
    one["requests"] = group.label;
    one["kind"] = group.kind;
    one["entry"] = group.entry;
    listed.push_back(std::move(one));
  }
  out["groups"] = std::move(listed);
  return out;
}

}  // namespace reqtrace::app
