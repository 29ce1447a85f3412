// What a newcomer types first: --version, help, COMMAND --help, list, and the suggestions for a
// mistyped command, option or scenario; replay of a scenario; run's progress on stderr.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "masked_output.hpp"
#include "support/process.hpp"

namespace {

using reqtrace::testing::masked;
using reqtrace::testing::run_process;
namespace fs = std::filesystem;

// The command names `reqtrace help` lists, from its lines "  reqtrace NAME ...".
std::vector<std::string> listed_commands(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream in(help);
  const std::regex line(R"(^  reqtrace ([a-z]+)\b.*)");
  for (std::string text; std::getline(in, text);)
    if (std::smatch match; std::regex_match(text, match, line)) names.push_back(match[1]);
  return names;
}

TEST(Version, PrintsTheNameAndTheProjectVersion) {
  auto version = run_process({REQTRACE_BINARY, "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(std::regex_match(version.out, std::regex("reqtrace [0-9]+\\.[0-9]+\\.[0-9]+\n")))
      << version.out;
}

TEST(Help, ListsEveryCommandOfTheContract) {
  auto help = run_process({REQTRACE_BINARY, "help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  const auto names = listed_commands(help.out);
  for (const char* name : {"gui", "run", "serve", "replay", "quiz", "validate", "list", "help"})
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name << help.out;
  EXPECT_EQ(run_process({REQTRACE_BINARY, "--help"}).out, help.out);
}

TEST(Help, HelpCommandAndCommandHelpPrintTheSameUsageAndExitZero) {
  const auto names = listed_commands(run_process({REQTRACE_BINARY, "help"}).out);
  ASSERT_GT(names.size(), 5u);
  for (const auto& name : names) {
    auto asked = run_process({REQTRACE_BINARY, "help", name});
    auto flag = run_process({REQTRACE_BINARY, name, "--help"});
    EXPECT_EQ(asked.exit_code, 0) << name << asked.err;
    EXPECT_EQ(flag.exit_code, 0) << name << flag.err;
    EXPECT_EQ(asked.out.rfind("usage: reqtrace " + name, 0), 0u) << asked.out;
    EXPECT_EQ(asked.out, flag.out) << name;
    EXPECT_TRUE(flag.err.empty()) << flag.err;
  }
  // With other arguments around it, --help still only helps: nothing runs.
  auto run = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("--trace FILE"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("Execution table"), std::string::npos);
}

TEST(Help, EveryFlagInTheHelpIsOneTheCommandAccepts) {
  // The help and the parser read the same table: a flag the help shows is never "unknown".
  auto help = run_process({REQTRACE_BINARY, "help", "run"});
  const std::regex flag_line(R"(^  (--[a-z-]+)\b.*)");
  std::istringstream in(help.out);
  int flags = 0;
  for (std::string text; std::getline(in, text);) {
    std::smatch match;
    if (!std::regex_match(text, match, flag_line)) continue;
    ++flags;
    auto result = run_process({REQTRACE_BINARY, "run", match[1]});
    EXPECT_EQ(result.err.find("unknown option"), std::string::npos) << result.err;
  }
  EXPECT_GE(flags, 3);
}

TEST(Suggestions, AMistypedCommandOptionOrScenarioGetsTheNearestName) {
  auto command = run_process({REQTRACE_BINARY, "rnu", "hello-wsgi"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("unknown command \"rnu\" (did you mean run?)"), std::string::npos)
      << command.err;
  auto help = run_process({REQTRACE_BINARY, "help", "quz"});
  EXPECT_EQ(help.exit_code, 2);
  EXPECT_NE(help.err.find("(did you mean quiz?)"), std::string::npos) << help.err;
  auto option = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--jsn"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("unknown option --jsn (did you mean --json?)"), std::string::npos)
      << option.err;
  auto version = run_process({REQTRACE_BINARY, "--verison"});
  EXPECT_EQ(version.exit_code, 2);
  EXPECT_NE(version.err.find("did you mean --version?"), std::string::npos) << version.err;
}

TEST(Suggestions, AnUnknownScenarioSaysWhereItLookedAndTheNearestNames) {
  for (const char* command : {"run", "quiz", "replay", "validate", "serve"}) {
    auto result = run_process({REQTRACE_BINARY, command, "hello-wgsi"});
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_NE(result.err.find("no scenario \"hello-wgsi\""), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(fs::path("scenarios").string()), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("(did you mean hello-wsgi?)"), std::string::npos) << result.err;
  }
  auto partial = run_process({REQTRACE_BINARY, "run", "nginx"});
  EXPECT_NE(partial.err.find("nginx-static-proxy or nginx-uwsgi"), std::string::npos)
      << partial.err;
  auto command = run_process({REQTRACE_BINARY, "hello-wsgi"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("is a scenario, not a command; try reqtrace run hello-wsgi"),
            std::string::npos)
      << command.err;
}

TEST(List, EveryShippedScenarioOnOneAlignedLine) {
  auto list = run_process({REQTRACE_BINARY, "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::istringstream in(list.out);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::size_t scenarios = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(REQTRACE_SOURCE_DIR) / "scenarios"))
    scenarios += entry.path().extension() == ".json";
  ASSERT_EQ(lines.size(), scenarios + 1) << list.out;  // and a header
  const auto title_column = lines[0].find("Title");
  ASSERT_NE(title_column, std::string::npos);
  auto line_of = [&](const std::string& name) {
    for (const auto& line : lines)
      if (line.rfind(name + " ", 0) == 0) return line;
    return std::string();
  };
  EXPECT_NE(line_of("hello-wsgi").find("Hello, WSGI"), std::string::npos) << list.out;
  EXPECT_NE(line_of("prefork-crowd").find("prefork, 4 workers"), std::string::npos) << list.out;
  EXPECT_NE(line_of("nginx-uwsgi").find("nginx uwsgi_pass → prefork, 2 workers"), std::string::npos)
      << list.out;
  // Aligned: every title starts in the Title column (the arrow is one column, three bytes).
  const auto hello = line_of("hello-wsgi");
  EXPECT_EQ(hello.find("Hello, WSGI"), title_column) << list.out;
  auto list_again = run_process({REQTRACE_BINARY, "list", "extra"});
  EXPECT_EQ(list_again.exit_code, 2);
}

TEST(Replay, AScenarioIsRunThenWalkedThroughAsQuizDoes) {
  auto replay = run_process({REQTRACE_BINARY, "replay", "hello-wsgi"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_NE(replay.out.find("Step 6 of 6"), std::string::npos) << replay.out;
  EXPECT_NE(replay.out.find("★ Key moment: Ready is not sent"), std::string::npos);
  auto replayed = run_process({REQTRACE_BINARY, "replay", "hello-wsgi", "--json", "--level", "2"});
  ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
  auto run = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--json", "--level", "2"});
  EXPECT_EQ(nlohmann::json::parse(replayed.out)["steps"].size(),
            nlohmann::json::parse(run.out)["steps"].size());
}

TEST(Progress, OnStderrOnlyWhenAskedOrOnATerminalAndStdoutUnchanged) {
  auto plain = run_process({REQTRACE_BINARY, "run", "hello-wsgi"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(plain.err.empty()) << plain.err;  // stderr is a pipe here: no progress
  auto shown = run_process({REQTRACE_BINARY, "run", "hello-wsgi", "--progress"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(std::regex_search(shown.err, std::regex("hello-wsgi: 1 of 1 responses in [0-9.]+ s")))
      << shown.err;
  EXPECT_EQ(masked(shown.out), masked(plain.out));
}

}  // namespace
