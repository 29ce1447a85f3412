#include "lesson/latency.hpp"

#include <algorithm>
#include <cmath>

namespace reqtrace::lesson {

double nearest_rank_percentile(std::vector<double> values, double percent) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  // The rank is at least 1 and at most n whatever rounding does to percent/100 * n.
  auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * n - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

LatencySummary summarize_latencies(const std::vector<double>& latencies_ms) {
  LatencySummary summary;
  summary.count = latencies_ms.size();
  if (latencies_ms.empty()) return summary;
  summary.p50_ms = nearest_rank_percentile(latencies_ms, 50);
  summary.p95_ms = nearest_rank_percentile(latencies_ms, 95);
  summary.max_ms = *std::max_element(latencies_ms.begin(), latencies_ms.end());
  return summary;
}

}  // namespace reqtrace::lesson
