// A scenario route written in one line, for tests that build their app from routes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario.hpp"

namespace reqtrace::testing {

inline scenario::Route route(std::string rule, std::string endpoint, std::string body,
                             std::vector<std::string> methods = {"GET"}) {
  scenario::Route r;
  r.rule = std::move(rule);
  r.endpoint = std::move(endpoint);
  r.methods = std::move(methods);
  r.returns.body = std::move(body);
  return r;
}

}  // namespace reqtrace::testing
