// Command output with what changes from run to run masked: the port, the times, and the
// column padding they move.
#pragma once

#include <regex>
#include <string>

namespace reqtrace::testing {

// 127.0.0.1:41831 -> 127.0.0.1:PORT, "1.0 ms" -> "N ms", runs of spaces or of '-' -> one, no
// trailing spaces: what is left is the same on every run.
inline std::string masked(std::string text) {
  text = std::regex_replace(text, std::regex(R"(127\.0\.0\.1:[0-9]+)"), "127.0.0.1:PORT");
  text = std::regex_replace(text, std::regex(R"([0-9]+\.[0-9]+ ms)"), "N ms");
  text = std::regex_replace(text, std::regex(" +\n"), "\n");
  text = std::regex_replace(text, std::regex(" {2,}"), " ");
  return std::regex_replace(text, std::regex("-{2,}"), "-");
}

}  // namespace reqtrace::testing
