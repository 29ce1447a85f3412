// The real gunicorn -k gthread beside our threaded model, for structure: one worker whose pool has
// two threads serves three slow requests that arrive together in two rounds, the third waiting in
// the queue until a thread is free. The same app (it sleeps 500 ms) on both.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>
#include <vector>

#include "support/peer.hpp"
#include "support/process.hpp"
#include "support/raw_client.hpp"
#include "support/temp_path.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using reqtrace::testing::Background;

constexpr int kSleepMs = 500;
constexpr const char* kGunicorn = "/usr/bin/gunicorn";

constexpr const char* kApp = R"(import time

def app(environ, start_response):
    time.sleep(0.5)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "4")])
    return [b"done"]
)";

constexpr const char* kScenario = R"({
  "id": "gthread-structure", "title": "Two pool threads, a slow page",
  "topology": {"server": {"model": "threaded", "workers": 2}},
  "app": {"routes": [{"rule": "/", "endpoint": "slow",
                      "returns": {"body": "done", "delay_ms": 500}}]},
  "requests": [{"path": "/"}]
})";

// Three GETs at once; how long after the start each answer was whole, in rounds of the sleep.
std::vector<int> rounds_of_three_at_once(int port) {
  const auto began = Clock::now();
  std::vector<int> rounds(3, 0);
  std::vector<std::thread> clients;
  clients.reserve(3);
  for (int i = 0; i < 3; ++i)
    clients.emplace_back([&, i] {
      reqtrace::testing::RawClient client(port);
      client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      const std::string response = client.read_until_close(10000);
      EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u) << response;
      const auto took =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began).count();
      // 0.5 s plus what serving costs is round 1; 1 s plus it, round 2.
      rounds[i] = static_cast<int>((took + kSleepMs / 2) / kSleepMs);
    });
  for (auto& client : clients) client.join();
  std::sort(rounds.begin(), rounds.end());
  return rounds;
}

TEST(GunicornStructure, TwoPoolThreadsServeThreeSlowRequestsInTwoRoundsAsOurs) {
  if (::access(kGunicorn, X_OK) != 0)
    GTEST_SKIP() << "gunicorn is not installed (Debian's gunicorn package)";
  const fs::path dir = reqtrace::testing::temp_path("gunicorn-structure");
  fs::create_directories(dir);
  std::ofstream(dir / "slow_app.py") << kApp;
  std::ofstream(dir / "scenario.json") << kScenario;

  // gunicorn -k gthread --workers 1 --threads 2: the worker's main thread accepts all three and
  // queues them; two threads serve, the third request waits for one.
  std::vector<int> real;
  for (int attempt = 0; attempt < 3 && real.empty(); ++attempt) {
    const int port = reqtrace::testing::free_port();
    Background gunicorn({kGunicorn, "-k", "gthread", "--workers", "1", "--threads", "2", "--bind",
                         "127.0.0.1:" + std::to_string(port), "--chdir", dir.string(),
                         "--log-level", "warning", "slow_app:app"});
    if (!reqtrace::testing::wait_until_accepting(port, std::chrono::seconds(15))) continue;
    // The arbiter binds before it forks the worker: wait until the worker has booted too.
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    real = rounds_of_three_at_once(port);
  }
  ASSERT_FALSE(real.empty()) << "gunicorn did not start";

  Background serve({REQTRACE_BINARY, "serve", (dir / "scenario.json").string(), "--port", "0"});
  static const std::regex serving(R"(on http://127\.0\.0\.1:(\d+)/)");
  int port = 0;
  for (int i = 0; i < 20 && port == 0; ++i) {
    const std::string line = serve.read_line(15000);
    if (line.empty()) break;
    std::smatch match;
    if (std::regex_search(line, match, serving)) port = std::stoi(match[1]);
  }
  ASSERT_NE(port, 0) << "reqtrace serve did not say where it listens";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the worker boots
  const std::vector<int> ours = rounds_of_three_at_once(port);
  serve.stop(SIGTERM);

  EXPECT_EQ(real, (std::vector<int>{1, 1, 2}));
  EXPECT_EQ(ours, real);
}

}  // namespace
