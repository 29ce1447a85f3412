// How long requests took, summed up as a load test reports it: count, median, p95, worst.
#pragma once

#include <cstddef>
#include <vector>

namespace reqtrace::lesson {

struct LatencySummary {
  std::size_t count = 0;  // how many latencies; the figures below are 0 when there are none
  double p50_ms = 0;
  double p95_ms = 0;
  double max_ms = 0;
};

// The nearest-rank percentile: the smallest value that at least `percent` % of the values are
// at or below, i.e. the ceil(percent/100 * n)-th smallest. Always one of the values, never an
// interpolation between two, so "p95 = 5.8 s" is a time some request really took.
// `percent` is in (0, 100]; 0 for no values.
double nearest_rank_percentile(std::vector<double> values, double percent);

LatencySummary summarize_latencies(const std::vector<double>& latencies_ms);

}  // namespace reqtrace::lesson
