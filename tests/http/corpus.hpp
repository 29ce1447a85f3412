// The request corpus: NAME.http holds raw bytes, NAME.expect.json what parsing them must give.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/http/limits.hpp"

namespace reqtrace::http::test {

// NOLINTNEXTLINE(bugprone-exception-escape): json's move asserts its invariant; it never throws.
struct Case {
  std::string name;
  std::string raw;        // the bytes of NAME.http, CRLFs and all
  nlohmann::json expect;  // NAME.expect.json
  std::string topic;      // its "class": the part of HTTP the case exercises, e.g. "chunked"
  Limits limits;          // defaults, or the optional "limits" object of the expectation
};

// Names of the cases in HTTP_CORPUS_DIR/<kind> ("valid" or "invalid"), sorted.
std::vector<std::string> case_names(const std::string& kind);

Case load_case(const std::string& kind, const std::string& name);

// The classes a case may name, in the order the counts are reported.
const std::vector<std::string>& case_classes();

}  // namespace reqtrace::http::test
