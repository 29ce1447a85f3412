// gunicorn's gthread worker, run on a thread of the test: its main thread polls and accepts, a pool
// of threads serves one request at a time, kept-alive connections go back to the poller.
#include "sim/server/gthread_worker.hpp"

#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "sim/topology/scenario_views.hpp"
#include "support/raw_client.hpp"
#include "support/route.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;
using Clock = std::chrono::steady_clock;

constexpr int kSlowMs = 400;

std::size_t open_fds() {
  std::size_t count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (dir && ::readdir(dir)) ++count;
  if (dir) ::closedir(dir);
  return count;
}

bool says(const trace::Event& event, const std::string& words) {
  return event.msg.find(words) != std::string::npos;
}

class GthreadWorkerTest : public ::testing::Test {
 protected:
  void start(GthreadSettings settings, bool keep_alive) {
    fds_before_ = open_fds();
    // gunicorn's gthread wire (topology's wire_policy for the threaded model).
    config_.wire.version = WirePolicy::Version::Request;
    config_.wire.chunked = WirePolicy::Chunked::ClientHttp11;
    config_.wire.keep_alive = keep_alive;
    config_.wire.framing_headers_first = true;
    std::string error;
    socket_ = ListeningSocket::listen(config_, error);
    ASSERT_TRUE(socket_) << error;
    recorder_.add_sink([this](const std::vector<trace::Event>& batch) {
      events_.insert(events_.end(), batch.begin(), batch.end());
    });
    auto slow = testing::route("/slow", "slow", "done");
    slow.returns.delay_ms = kSlowMs;
    app_ = topology::build_app({slow, testing::route("/fast", "fast", "quick")}, {},
                               trace::Emitter(&recorder_, trace::Actor::App, "app"));
    wsgi::ServerTraits traits;
    traits.multithread = true;
    worker_ = std::make_unique<GthreadWorker>(1, config_, settings, *app_, traits, *socket_,
                                              next_req_, &recorder_);
    main_thread_ = std::thread([this] { worker_->run(); });
  }
  int port() const { return socket_->address().port; }
  // Stops the worker (run() returns once its pool is joined) and returns the trace.
  std::vector<trace::Event> finish() {
    socket_->wake();
    main_thread_.join();
    worker_.reset();
    socket_.reset();
    recorder_.flush();
    std::stable_sort(events_.begin(), events_.end(),
                     [](const auto& a, const auto& b) { return a.seq < b.seq; });
    return events_;
  }
  // Three slow requests at once on two pool threads.
  std::vector<trace::Event> three_slow_requests_on_two_threads(Clock::duration& took) {
    GthreadSettings settings;
    settings.threads = 2;
    start(settings, /*keep_alive=*/false);
    const auto began = Clock::now();
    std::vector<std::string> responses(3);
    std::vector<std::thread> clients;
    clients.reserve(3);
    for (int i = 0; i < 3; ++i)
      clients.emplace_back([&, i] {
        testing::RawClient client(port());
        client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        responses[i] = client.read_until_close(10000);
      });
    for (auto& client : clients) client.join();
    took = Clock::now() - began;
    for (const auto& response : responses) EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u);
    auto trace = finish();
    EXPECT_EQ(open_fds(), fds_before_);  // every descriptor the worker opened is closed
    return trace;
  }

  ServerConfig config_;
  std::unique_ptr<ListeningSocket> socket_;
  std::vector<trace::Event> events_;  // before the recorder: its last flush lands here
  trace::Recorder recorder_;
  std::unique_ptr<wsgi::Application> app_;
  std::atomic<int> next_req_{0};
  std::unique_ptr<GthreadWorker> worker_;
  std::thread main_thread_;
  std::size_t fds_before_ = 0;
};

TEST_F(GthreadWorkerTest, TheThirdOfThreeSlowRequestsWaitsInTheQueueForOneOfTwoThreads) {
  Clock::duration took{};
  const auto trace = three_slow_requests_on_two_threads(took);
  // Two rounds of the slow view: two threads, three requests.
  EXPECT_GE(took, std::chrono::milliseconds(2 * kSlowMs));
  std::size_t accepted_before_first_answer = 0, in_app_before_first_answer = 0;
  bool answered = false;
  int waited = 0;
  std::set<std::string> serving_lanes;
  for (const auto& event : trace) {
    if (event.phase == Phase::ResponseReady) answered = true;
    if (event.phase == Phase::Accept && !answered) ++accepted_before_first_answer;
    if (event.phase == Phase::CallingApp) {
      if (!answered) ++in_app_before_first_answer;
      serving_lanes.insert(event.lane);
      EXPECT_EQ(nlohmann::json::parse(event.data)["environ"]["wsgi.multithread"], "True");
    }
    if (event.phase == Phase::Busy && says(event, "enqueue_req") &&
        nlohmann::json::parse(event.data)["waits"] == true)
      ++waited;
    EXPECT_FALSE(says(event, "kept alive;")) << "no keep-alive here: " << event.msg;
  }
  // The poller accepted all three while both threads were still in the slow view.
  EXPECT_EQ(accepted_before_first_answer, 3u);
  EXPECT_EQ(in_app_before_first_answer, 2u);
  EXPECT_EQ(waited, 1);
  // ThreadPoolExecutor starts a thread per submit while none is idle, up to max_workers.
  std::vector<std::string> started;
  for (const auto& event : trace)
    if (says(event, "so the pool starts thread"))
      started.push_back(event.msg.substr(event.msg.size() - 8));
  EXPECT_EQ(started, (std::vector<std::string>{"thread 1", "thread 2"}));
  EXPECT_EQ(serving_lanes, (std::set<std::string>{"worker-1/thread-1", "worker-1/thread-2"}));
}

TEST_F(GthreadWorkerTest, OnlyTheMainThreadAccepts) {
  Clock::duration took{};
  const auto trace = three_slow_requests_on_two_threads(took);
  std::set<std::uint32_t> accepting_tids, serving_tids;
  for (const auto& event : trace) {
    if (event.phase == Phase::Accept) {
      EXPECT_EQ(event.lane, "worker-1");
      accepting_tids.insert(event.tid);
    }
    if (event.phase == Phase::CallingApp) serving_tids.insert(event.tid);
  }
  ASSERT_EQ(accepting_tids.size(), 1u);
  EXPECT_EQ(serving_tids.size(), 2u);
  EXPECT_EQ(serving_tids.count(*accepting_tids.begin()), 0u);  // the poller serves nothing
  // enqueue_req on the poller's lane, then a pool thread takes the connection on its own.
  const auto queued = std::find_if(trace.begin(), trace.end(), [](const trace::Event& e) {
    return says(e, "enqueue_req: connection 1 queued for the pool");
  });
  ASSERT_NE(queued, trace.end());
  EXPECT_EQ(queued->lane, "worker-1");
  const auto taken = std::find_if(queued, trace.end(), [](const trace::Event& e) {
    return says(e, "takes connection 1 from the queue");
  });
  ASSERT_NE(taken, trace.end());
  EXPECT_EQ(taken->lane.rfind("worker-1/thread-", 0), 0u);
}

TEST_F(GthreadWorkerTest, AKeptAliveConnectionsNextRequestComesBackThroughThePoller) {
  GthreadSettings settings;
  settings.threads = 2;
  start(settings, /*keep_alive=*/true);
  std::vector<trace::Event> trace;
  {
    testing::RawClient client(port());
    client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(client.read_response().rfind("HTTP/1.1 200 OK", 0), 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // idle in the poller
    client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(client.read_response().rfind("HTTP/1.1 200 OK", 0), 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // back in the poller
    trace = finish();  // before the client closes: the worker closes it
  }
  std::vector<std::string> story;
  for (const auto& event : trace) {
    if (event.phase == Phase::Accept) story.emplace_back("accept on " + event.lane);
    if (says(event, "enqueue_req")) story.emplace_back("enqueue_req");
    if (says(event, "from the queue")) story.emplace_back("a pool thread takes it");
    if (event.phase == Phase::Sent) story.emplace_back("sent " + std::to_string(event.req));
    if (says(event, "kept alive; it goes back to the poller")) story.emplace_back("to the poller");
    if (says(event, "reuse_connection")) story.emplace_back("poller: readable on " + event.lane);
  }
  EXPECT_EQ(story, (std::vector<std::string>{"accept on worker-1", "enqueue_req",
                                             "a pool thread takes it", "sent 1", "to the poller",
                                             "poller: readable on worker-1", "enqueue_req",
                                             "a pool thread takes it", "sent 2", "to the poller"}));
  EXPECT_TRUE(std::any_of(trace.begin(), trace.end(),
                          [](const trace::Event& e) { return says(e, "the worker stops"); }));
}

TEST_F(GthreadWorkerTest, APipelinedNextRequestIsQueuedAgainAtOnce) {
  start(GthreadSettings{}, /*keep_alive=*/true);
  std::vector<trace::Event> trace;
  {
    testing::RawClient client(port());
    client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string both = client.read_until_close(1000);  // kept open: quiet for 1 s
    EXPECT_EQ(both.rfind("HTTP/1.1 200 OK", 0), 0u);
    EXPECT_NE(both.find("HTTP/1.1 200 OK", 1), std::string::npos) << both;
    trace = finish();
  }
  EXPECT_TRUE(std::any_of(trace.begin(), trace.end(), [](const trace::Event& e) {
    return says(e, "next request is already here");
  }));
}

TEST_F(GthreadWorkerTest, AStrayLineEndBeforeTheNextRequestIsIgnored) {
  // RFC 9112 section 2.2: a server SHOULD ignore an empty line before a request line, such as
  // the CRLF some clients send after a body.
  start(GthreadSettings{}, /*keep_alive=*/true);
  testing::RawClient client(port());
  client.send(
      "GET /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi\r\n"
      "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string both = client.read_until_close(1000);  // kept open: quiet for 1 s
  EXPECT_EQ(both.rfind("HTTP/1.1 200 OK", 0), 0u) << both;
  EXPECT_NE(both.find("HTTP/1.1 200 OK", 1), std::string::npos) << both;
  EXPECT_EQ(both.find("400"), std::string::npos) << both;
  finish();
}

TEST_F(GthreadWorkerTest, AnIdleKeptAliveConnectionIsClosedAfterKeepalive) {
  GthreadSettings settings;
  settings.keepalive_ms = 300;
  start(settings, /*keep_alive=*/true);
  const auto began = Clock::now();
  {
    testing::RawClient client(port());
    client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string all = client.read_until_close(5000);  // the response, then the close
    EXPECT_EQ(all.rfind("HTTP/1.1 200 OK", 0), 0u);
  }
  const auto waited = Clock::now() - began;
  // Closed no sooner than keepalive, and within the poller's one-second select() after it.
  EXPECT_GE(waited, std::chrono::milliseconds(300));
  EXPECT_LT(waited, std::chrono::milliseconds(2500));
  const auto trace = finish();
  EXPECT_TRUE(std::any_of(trace.begin(), trace.end(), [](const trace::Event& e) {
    return e.lane == "worker-1" && says(e, "murder_keepalived");
  }));
}

TEST_F(GthreadWorkerTest, AtWorkerConnectionsThePollerAcceptsNoMore) {
  GthreadSettings settings;
  settings.worker_connections = 1;
  settings.keepalive_ms = 300;
  start(settings, /*keep_alive=*/true);
  {
    testing::RawClient first(port());
    first.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(first.read_response().rfind("HTTP/1.1 200 OK", 0), 0u);
    // The first is kept alive: the one connection the worker may hold. The second waits in the
    // backlog until keepalive closes the first.
    testing::RawClient second(port());
    second.send("GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(second.read_until_close(5000).rfind("HTTP/1.1 200 OK", 0), 0u);
  }
  const auto trace = finish();
  std::vector<std::string> story;
  for (const auto& event : trace) {
    if (event.phase == Phase::Accept) story.emplace_back("accept");
    if (says(event, "murder_keepalived")) story.emplace_back("keepalive closes the first");
  }
  EXPECT_EQ(story, (std::vector<std::string>{"accept", "keepalive closes the first", "accept"}));
}

TEST_F(GthreadWorkerTest, StopClosesKeptAliveConnectionsAndJoinsThePool) {
  GthreadSettings settings;
  settings.threads = 3;
  settings.keepalive_ms = 60000;
  start(settings, /*keep_alive=*/true);
  std::vector<trace::Event> trace;
  {
    testing::RawClient client(port());
    client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(client.read_response().rfind("HTTP/1.1 200 OK", 0), 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // back in the poller
    const auto began = Clock::now();
    trace = finish();
    EXPECT_LT(Clock::now() - began, std::chrono::milliseconds(1500));  // woken, not timed out
    EXPECT_EQ(client.read_until_close(1000), "");                      // the client sees EOF
  }
  EXPECT_EQ(open_fds(), fds_before_);  // every descriptor the worker opened is closed
  EXPECT_TRUE(std::any_of(trace.begin(), trace.end(),
                          [](const trace::Event& e) { return says(e, "the worker stops"); }));
}

}  // namespace
}  // namespace reqtrace::server
