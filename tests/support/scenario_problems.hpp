// A loaded scenario's problems as the lines `reqtrace validate` prints, for tests to compare.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario/load.hpp"

namespace reqtrace::testing {

// Each problem's to_string(), in order; checks on the way that a scenario came back exactly
// when no problem was found, never half a scenario.
inline std::vector<std::string> problem_lines(const scenario::Loaded& loaded) {
  EXPECT_EQ(loaded.scenario.has_value(), loaded.problems.empty());
  std::vector<std::string> lines;
  for (const scenario::Problem& problem : loaded.problems) lines.push_back(problem.to_string());
  return lines;
}

}  // namespace reqtrace::testing
