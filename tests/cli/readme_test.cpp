// The README's example output is the real output: every "What `reqtrace ARGS` prints" block in
// README.md is compared with what reqtrace ARGS prints now, the port and the times masked.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "masked_output.hpp"
#include "support/process.hpp"

namespace {

using reqtrace::testing::masked;
using reqtrace::testing::run_process;

struct Example {
  std::string command;  // "run hello-wsgi"
  std::string output;   // the indented block under it, unindented
  int line = 0;         // where the sentence naming the command is
};

// A line starting `What \`reqtrace ARGS\` prints`, the rest of its paragraph, then a block
// indented by four.
std::vector<Example> readme_examples() {
  std::ifstream in(std::filesystem::path(REQTRACE_SOURCE_DIR) / "README.md");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::string opening = "What `reqtrace ";
  std::vector<Example> examples;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind(opening, 0) != 0) continue;
    const auto close = lines[i].find('`', opening.size());
    if (close == std::string::npos) continue;
    Example example{lines[i].substr(opening.size(), close - opening.size()), "",
                    static_cast<int>(i) + 1};
    std::size_t j = i + 1;  // the rest of the sentence, then the block
    while (j < lines.size() && lines[j].rfind("    ", 0) != 0) ++j;
    std::size_t end = j;  // past the last indented line; blank lines inside the block belong
    for (std::size_t k = j;
         k < lines.size() && (lines[k].empty() || lines[k].rfind("    ", 0) == 0); ++k)
      if (!lines[k].empty()) end = k + 1;
    for (std::size_t k = j; k < end; ++k)
      example.output += (lines[k].empty() ? "" : lines[k].substr(4)) + "\n";
    examples.push_back(example);
  }
  return examples;
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

TEST(Readme, ExampleOutputIsTheRealOutput) {
  const auto examples = readme_examples();
  ASSERT_GE(examples.size(), 2u) << "README.md shows the output of run hello-wsgi and of list";
  for (const auto& example : examples) {
    SCOPED_TRACE("README.md:" + std::to_string(example.line) + ": reqtrace " + example.command);
    std::vector<std::string> argv = {REQTRACE_BINARY};
    for (auto& word : split_words(example.command)) argv.push_back(word);
    const auto result = run_process(argv);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(masked(example.output), masked(result.out))
        << "README.md's block (first) and the real output (second) differ; paste the real "
           "output into README.md";
  }
}

}  // namespace
