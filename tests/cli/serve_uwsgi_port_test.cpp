// `reqtrace serve --uwsgi-port`: where it listens is printed for scripts, a bad value is exit 2.
#include <gtest/gtest.h>

#include <regex>

#include "support/process.hpp"

namespace {

using reqtrace::testing::Background;
using reqtrace::testing::run_process;

TEST(ServeUwsgiPort, ABadValueIsBadInputNamingTheFlag) {
  for (const char* value : {"nope", "-1", "65536", ""}) {
    const auto result =
        run_process({REQTRACE_BINARY, "serve", "flask-routing", "--uwsgi-port", value});
    EXPECT_EQ(result.exit_code, 2) << value;
    EXPECT_NE(result.err.find("--uwsgi-port expects a whole number from 0 to 65535, got \"" +
                              std::string(value) + "\""),
              std::string::npos)
        << result.err;
  }
}

TEST(ServeUwsgiPort, TheServingLineGivesBothAddresses) {
  Background server(
      {REQTRACE_BINARY, "serve", "flask-routing", "--port", "0", "--uwsgi-port", "0"});
  static const std::regex serving(
      R"(^Serving flask-routing on http://127\.0\.0\.1:(\d+)/ and uwsgi://127\.0\.0\.1:(\d+) )");
  std::smatch match;
  std::string line;
  for (int i = 0; i < 20; ++i) {
    line = server.read_line(15000);
    if (line.empty() || std::regex_search(line, match, serving)) break;
  }
  ASSERT_FALSE(match.empty()) << "last line: " << line;
  EXPECT_NE(match[1], match[2]);
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

}  // namespace
