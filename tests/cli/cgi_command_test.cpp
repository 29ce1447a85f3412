// reqtrace cgi run by hand, as any web server would run a CGI program: the request in the
// environment and on stdin, the CGI response on stdout.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace {

using reqtrace::testing::run_process;
namespace fs = std::filesystem;

fs::path greeting_scenario() {
  fs::path path = fs::path(::testing::TempDir()) / "cgi-command-greet.json";
  std::ofstream(path) << R"({
    "id": "greet", "title": "Greetings",
    "app": {"routes": [
      {"rule": "/", "endpoint": "home", "returns": {"body": "Hello from Flask!"}},
      {"rule": "/greet", "endpoint": "greet", "methods": ["POST"],
       "returns": {"body": "Hello, {name}!", "echo": "name"}}]},
    "requests": [{"path": "/"}]
  })";
  return path;
}

// `env -i` so the program sees only the variables a web server would give it.
reqtrace::testing::Finished run_cgi(const std::vector<std::string>& variables,
                                    const std::string& stdin_bytes = "",
                                    const std::string& scenario = greeting_scenario().string()) {
  std::vector<std::string> argv = {"env", "-i"};
  argv.insert(argv.end(), variables.begin(), variables.end());
  argv.insert(argv.end(), {REQTRACE_BINARY, "cgi", scenario});
  return run_process(argv, stdin_bytes);
}

const std::vector<std::string> kGetRoot = {"GATEWAY_INTERFACE=CGI/1.1",
                                           "REQUEST_METHOD=GET",
                                           "SCRIPT_NAME=",
                                           "PATH_INFO=/",
                                           "QUERY_STRING=",
                                           "SERVER_NAME=localhost",
                                           "SERVER_PORT=80",
                                           "SERVER_PROTOCOL=HTTP/1.1",
                                           "REMOTE_ADDR=127.0.0.1"};

TEST(CgiCommand, AnswersAGetOnStdoutAsACgiResponse) {
  auto result = run_cgi(kGetRoot);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("Status: 200 OK\r\n", 0), 0u) << result.out;
  EXPECT_NE(result.out.find("\r\nContent-Type: text/html; charset=utf-8\r\n"), std::string::npos)
      << result.out;
  const std::string ending = "\r\n\r\nHello from Flask!";
  ASSERT_GE(result.out.size(), ending.size());
  EXPECT_EQ(result.out.substr(result.out.size() - ending.size()), ending);
  EXPECT_EQ(result.err, "") << "no trace variables: it records nothing and says nothing";
}

TEST(CgiCommand, ReadsAPostedFormFromStdin) {
  auto variables = kGetRoot;
  variables[1] = "REQUEST_METHOD=POST";
  variables[3] = "PATH_INFO=/greet";
  variables.emplace_back("CONTENT_TYPE=application/x-www-form-urlencoded");
  variables.emplace_back("CONTENT_LENGTH=8");
  // More than CONTENT_LENGTH on stdin: the program must stop at what it was promised.
  auto result = run_cgi(variables, "name=Adaextra");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("Status: 200 OK\r\n", 0), 0u) << result.out;
  EXPECT_NE(result.out.find("\r\n\r\nHello, Ada!"), std::string::npos) << result.out;
}

TEST(CgiCommand, AnUnknownPathIsTheAppsOwn404) {
  auto variables = kGetRoot;
  variables[3] = "PATH_INFO=/nowhere";
  auto result = run_cgi(variables);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("Status: 404 NOT FOUND\r\n", 0), 0u) << result.out;
}

TEST(CgiCommand, WorksWithAShippedScenarioName) {
  auto result = run_cgi(kGetRoot, "", "hello-wsgi");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("\r\n\r\nHello from Flask!"), std::string::npos) << result.out;
}

TEST(CgiCommand, HalfATraceEnvironmentIsReportedAndTheRequestStillServed) {
  auto variables = kGetRoot;
  variables.emplace_back("REQTRACE_EVENTS_FD=1");
  auto result = run_cgi(variables);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("not tracing"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.rfind("Status: 200 OK\r\n", 0), 0u) << result.out;
}

TEST(CgiCommand, BadUsageExitsWith2AndSaysWhatWasExpected) {
  auto no_scenario = run_process({REQTRACE_BINARY, "cgi"});
  EXPECT_EQ(no_scenario.exit_code, 2);
  EXPECT_NE(no_scenario.err.find("expected one scenario"), std::string::npos) << no_scenario.err;

  auto no_cgi = run_cgi({});
  EXPECT_EQ(no_cgi.exit_code, 2);
  EXPECT_NE(no_cgi.err.find("REQUEST_METHOD is not set"), std::string::npos) << no_cgi.err;
  EXPECT_EQ(no_cgi.out, "");

  auto variables = kGetRoot;
  variables.emplace_back("CONTENT_LENGTH=lots");
  auto bad_length = run_cgi(variables);
  EXPECT_EQ(bad_length.exit_code, 2);
  EXPECT_NE(bad_length.err.find("CONTENT_LENGTH is \"lots\""), std::string::npos) << bad_length.err;

  auto missing = run_cgi(kGetRoot, "", "/nonexistent/scenario.json");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/scenario.json"), std::string::npos) << missing.err;
}

}  // namespace
