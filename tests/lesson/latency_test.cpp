// Latency figures: nearest-rank percentiles, each one a time some request really took.
#include "lesson/latency.hpp"

#include <gtest/gtest.h>

namespace reqtrace::lesson {
namespace {

TEST(NearestRank, IsTheSmallestValueThatEnoughValuesAreAtOrBelow) {
  std::vector<double> twenty;
  for (int i = 20; i >= 1; --i) twenty.push_back(i);  // unsorted on purpose
  EXPECT_EQ(nearest_rank_percentile(twenty, 50), 10);
  EXPECT_EQ(nearest_rank_percentile(twenty, 95), 19);
  EXPECT_EQ(nearest_rank_percentile(twenty, 100), 20);
  EXPECT_EQ(nearest_rank_percentile(twenty, 1), 1);
}

TEST(NearestRank, NeverInterpolates) {
  EXPECT_EQ(nearest_rank_percentile({3, 1, 2}, 50), 2);
  EXPECT_EQ(nearest_rank_percentile({1, 2, 3, 4}, 50), 2);  // not 2.5
  EXPECT_EQ(nearest_rank_percentile({1, 2, 3, 4}, 95), 4);
  EXPECT_EQ(nearest_rank_percentile({7}, 95), 7);
  EXPECT_EQ(nearest_rank_percentile({}, 50), 0);
}

TEST(SummarizeLatencies, ACrowdServedOneAtATime) {
  // 30 requests of 200 ms each, one after another: the n-th waits n × 200 ms.
  std::vector<double> waits;
  for (int n = 30; n >= 1; --n) waits.push_back(n * 200.0);
  const LatencySummary summary = summarize_latencies(waits);
  EXPECT_EQ(summary.count, 30u);
  EXPECT_EQ(summary.p50_ms, 3000);  // the 15th
  EXPECT_EQ(summary.p95_ms, 5800);  // the 29th: ceil(0.95 × 30) = 29
  EXPECT_EQ(summary.max_ms, 6000);
}

TEST(SummarizeLatencies, NothingToSummarize) {
  const LatencySummary summary = summarize_latencies({});
  EXPECT_EQ(summary.count, 0u);
  EXPECT_EQ(summary.p50_ms, 0);
  EXPECT_EQ(summary.max_ms, 0);
}

}  // namespace
}  // namespace reqtrace::lesson
