// Fuzzes the scenario loader with any text: load_text must never crash, and gives either a
// scenario or problems, each with a message and a place inside the text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "scenario/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  reqtrace::scenario::Loaded loaded = reqtrace::scenario::load_text(text, "fuzz.json");

  // Never half a scenario: exactly one of the two.
  FUZZ_CHECK(loaded.scenario.has_value() == loaded.problems.empty(),
             "a scenario and problems, or neither");
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const reqtrace::scenario::Problem& p : loaded.problems) {
    FUZZ_CHECK(!p.message.empty(), "a problem without a message");
    FUZZ_CHECK(p.file == "fuzz.json", "a problem that does not name the file");
    FUZZ_CHECK(p.line >= 0 && p.line <= lines, "a problem on a line the text does not have");
    FUZZ_CHECK(p.line == 0 || (p.column >= 1 && static_cast<std::size_t>(p.column) <= size + 1),
               "a problem at a column outside the text");
    FUZZ_CHECK(p.pointer.empty() || p.pointer.front() == '/', "a pointer that is not a pointer");
    FUZZ_CHECK(!p.to_string().empty(), "a problem that prints as nothing");
  }
  return 0;
}
