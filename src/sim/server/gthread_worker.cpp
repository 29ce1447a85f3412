#include "sim/server/gthread_worker.hpp"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <nlohmann/json.hpp>

#include "sim/server/request_handler.hpp"
#include "sim/server/request_reader.hpp"
#include "sim/server/worker_process.hpp"

namespace reqtrace::server {
namespace {

using trace::Actor;
using trace::Phase;
using Clock = std::chrono::steady_clock;

// What the poller's epoll data says, for what is not a connection (those carry their Conn*).
constexpr std::uint64_t kWake = 1, kHttp = 2, kUwsgi = 3, kQuit = 4;
// gunicorn's run() waits at most a second in poller.select(1.0): then it looks at the kept-alive
// connections' deadlines.
constexpr int kSelectTimeoutMs = 1000;

std::string seconds(int ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace

std::string pool_thread_lane(int number, int thread) {
  return worker_lane(number) + "/thread-" + std::to_string(thread);
}

struct GthreadWorker::Conn {
  Conn(Connection accepted, int numbered, const ServerConfig& config, const trace::Emitter& voice,
       std::atomic<int>& next_req)
      : connection(std::move(accepted)), reader(config, voice, next_req), number(numbered) {}
  Connection connection;
  RequestReader reader;  // TConn.parser: bytes of a next request stay with the connection
  int number;
  Clock::time_point timeout;  // TConn.set_timeout(): when a kept-alive connection is closed
};

GthreadWorker::GthreadWorker(int number, const ServerConfig& config, GthreadSettings settings,
                             wsgi::Application& app, wsgi::ServerTraits traits,
                             ListeningSocket& socket, std::atomic<int>& next_req,
                             trace::Recorder* recorder, ArbiterLink link)
    : number_(number),
      config_(config),
      settings_(settings),
      app_(app),
      traits_(std::move(traits)),
      socket_(socket),
      next_req_(next_req),
      recorder_(recorder),
      link_(link),
      worker_voice_(recorder, Actor::Worker, worker_lane(number)),
      server_voice_(recorder, Actor::Server, worker_lane(number)),
      poller_(::epoll_create1(EPOLL_CLOEXEC)),
      request_done_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

GthreadWorker::~GthreadWorker() {
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
}

void GthreadWorker::run() {
  auto watch = [this](int fd, std::uint64_t tag) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    ::epoll_ctl(poller_.get(), EPOLL_CTL_ADD, fd, &event);
  };
  watch(socket_.wake_fd(), kWake);
  if (link_.quit_fd >= 0) watch(link_.quit_fd, kQuit);  // SIGTERM: handle_exit, alive = False
  watch(socket_.fd(), kHttp);
  if (socket_.uwsgi_fd() >= 0) watch(socket_.uwsgi_fd(), kUwsgi);
  worker_voice_(Phase::Boot, 0, trace::kServerInternals,
                "Worker " + std::to_string(number_) +
                    "'s main thread runs the poller: it alone accepts connections, and hands "
                    "each to a pool of up to " +
                    std::to_string(settings_.threads) + " threads",
                {},
                {{"threads", settings_.threads},
                 {"worker_connections", settings_.worker_connections},
                 {"keepalive_ms", settings_.keepalive_ms}});

  std::array<epoll_event, 64> events{};
  while (alive_) {
    link_.notify();  // "notify the arbiter we are alive", at each turn
    if (nr_conns_ < settings_.worker_connections) {
      const int ready = ::epoll_wait(poller_.get(), events.data(), events.size(), kSelectTimeoutMs);
      if (ready < 0 && errno != EINTR) break;
      for (int i = 0; i < ready && alive_; ++i) {
        const std::uint64_t tag = events[i].data.u64;
        // A SIGTERM that came with a connection: its handler ran before epoll_wait returned.
        if (tag == kWake || tag == kQuit || link_.terminated())
          alive_ = false;
        else if (tag == kHttp || tag == kUwsgi)
          accept(tag == kHttp ? Protocol::Http : Protocol::Uwsgi);
        else
          reuse_connection(static_cast<Conn*>(events[i].data.ptr));
      }
    } else {
      // At worker_connections: no accepting, only waiting for a request to finish.
      pollfd waits[3] = {{socket_.wake_fd(), POLLIN, 0},
                         {link_.quit_fd, POLLIN, 0},
                         {request_done_.get(), POLLIN, 0}};
      if (::poll(waits, 3, kSelectTimeoutMs) > 0 &&
          ((waits[0].revents | waits[1].revents) & POLLIN))
        alive_ = false;
    }
    std::uint64_t finished = 0;
    [[maybe_unused]] auto drained = ::read(request_done_.get(), &finished, sizeof finished);
    murder_keepalived();
  }
  alive_ = false;
  if (link_.terminated())
    worker_voice_(Phase::Idle, 0, trace::kServerInternals,
                  "Worker " + std::to_string(number_) +
                      " got SIGTERM (handle_exit): its main thread accepts no more; the pool "
                      "finishes what it was given, then the worker exits",
                  {}, {{"sigterm", true}});

  // tpool.shutdown(False) cancels nothing queued, and the process's exit joins the pool threads:
  // a connection already handed to the pool is still served.
  {
    std::lock_guard lock(queue_mutex_);
    shutdown_ = true;
  }
  queue_wake_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  std::lock_guard lock(lock_);
  while (!keep_.empty()) {
    std::unique_ptr<Conn> conn = std::move(keep_.front());
    keep_.pop_front();
    close(std::move(conn), server_voice_, "the worker stops");
  }
}

void GthreadWorker::accept(Protocol protocol) {
  std::optional<Connection> connection = socket_.accept_now(protocol);
  if (!connection) return;  // EAGAIN, ECONNABORTED: the connection is gone, as gunicorn ignores
  ++nr_conns_;
  const int number = ++accepted_;
  const std::string peer = connection->peer().to_string();
  const bool uwsgi = protocol == Protocol::Uwsgi;
  server_voice_(Phase::Accept, 0, trace::kServerInternals,
                "Worker " + std::to_string(number_) + "'s main thread accepts " +
                    (uwsgi ? "uwsgi " : "") + "connection " + std::to_string(number) + " from " +
                    peer + ": its poller saw the listening socket readable",
                {},
                {{"peer", peer},
                 {"protocol", uwsgi ? "uwsgi" : "http"},
                 {"connection", number},
                 {"connections", nr_conns_.load()}});
  enqueue_req(
      std::make_unique<Conn>(std::move(*connection), number, config_, server_voice_, next_req_));
}

void GthreadWorker::enqueue_req(std::unique_ptr<Conn> conn) {
  const int number = conn->number;
  std::size_t waiting = 0;
  bool none_idle = false;
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(conn));
    waiting = queue_.size();
    none_idle = waiting > static_cast<std::size_t>(idle_threads_);
  }
  const bool start_thread =
      none_idle && threads_.size() < static_cast<std::size_t>(settings_.threads);
  std::string says = "enqueue_req: connection " + std::to_string(number) + " queued for the pool";
  if (start_thread)
    says += "; no thread is idle, so the pool starts thread " + std::to_string(threads_.size() + 1);
  else if (none_idle)
    says += "; every thread is busy, so it waits in the queue";
  worker_voice_(
      Phase::Busy, 0, trace::kServerInternals, std::move(says), {},
      {{"connection", number}, {"queued", waiting}, {"waits", none_idle && !start_thread}});
  if (start_thread) {
    const int thread = static_cast<int>(threads_.size()) + 1;
    threads_.emplace_back([this, thread] { pool_thread(thread); });
  } else {
    queue_wake_.notify_one();
  }
}

void GthreadWorker::reuse_connection(Conn* ready) {
  std::unique_ptr<Conn> conn;
  {
    std::lock_guard lock(lock_);
    for (auto it = keep_.begin(); it != keep_.end(); ++it) {
      if (it->get() != ready) continue;
      conn = std::move(*it);
      keep_.erase(it);
      break;
    }
    if (!conn) return;  // murder_keepalived() closed it first
    ::epoll_ctl(poller_.get(), EPOLL_CTL_DEL, conn->connection.fd(), nullptr);
  }
  server_voice_(Phase::Busy, 0, trace::kServerInternals,
                "The poller sees kept-alive connection " + std::to_string(conn->number) +
                    " readable: its next request is arriving (reuse_connection)",
                {}, {{"connection", conn->number}});
  enqueue_req(std::move(conn));
}

void GthreadWorker::murder_keepalived() {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(lock_);
  while (!keep_.empty() && keep_.front()->timeout <= now) {
    std::unique_ptr<Conn> conn = std::move(keep_.front());
    keep_.pop_front();
    ::epoll_ctl(poller_.get(), EPOLL_CTL_DEL, conn->connection.fd(), nullptr);
    close(std::move(conn), server_voice_,
          "murder_keepalived: no request came within keepalive (" +
              seconds(settings_.keepalive_ms) + ")");
  }
}

void GthreadWorker::pool_thread(int thread) {
  const std::string lane = pool_thread_lane(number_, thread);
  const trace::Emitter thread_voice(recorder_, Actor::Worker, lane);
  const trace::Emitter server_voice(recorder_, Actor::Server, lane);
  thread_voice(Phase::Boot, 0, trace::kServerInternals,
               "Pool thread " + std::to_string(thread) + " of worker " + std::to_string(number_) +
                   " starts: it serves connections the main thread queues, never accepts");
  RequestHandler handler(config_, app_, traits_, socket_.address(), server_voice, next_req_);
  for (;;) {
    std::unique_ptr<Conn> conn;
    {
      std::unique_lock lock(queue_mutex_);
      ++idle_threads_;
      queue_wake_.wait(lock, [this] { return shutdown_ || !queue_.empty(); });
      --idle_threads_;
      if (queue_.empty()) break;
      conn = std::move(queue_.front());
      queue_.pop_front();
    }
    thread_voice(Phase::Busy, 0, trace::kServerInternals,
                 "Pool thread " + std::to_string(thread) + " takes connection " +
                     std::to_string(conn->number) + " from the queue",
                 {}, {{"connection", conn->number}});
    bool keepalive = false;
    if (conn->connection.protocol() == Protocol::Uwsgi) {
      handler.serve_uwsgi(conn->connection);  // one request per uwsgi connection
    } else {
      conn->reader.speak_as(server_voice);
      keepalive = handler.handle_one(conn->connection, conn->reader);
    }
    // finish_request(): back to the poller, or closed.
    if (keepalive && alive_ && conn->reader.has_buffered()) {
      // Its next request came with this one (pipelined): no poller would see it arrive.
      thread_voice(Phase::Idle, 0, trace::kServerInternals,
                   "Connection " + std::to_string(conn->number) +
                       "'s next request is already here: it goes back on the queue",
                   {}, {{"connection", conn->number}});
      {
        std::lock_guard lock(queue_mutex_);
        queue_.push_back(std::move(conn));
      }
      queue_wake_.notify_one();
    } else if (keepalive && alive_) {
      const int number = conn->number;
      thread_voice(Phase::Idle, 0, trace::kServerInternals,
                   "finish_request: connection " + std::to_string(number) +
                       " is kept alive; it goes back to the poller, which closes it if no "
                       "request comes within " +
                       seconds(settings_.keepalive_ms) + ". Thread " + std::to_string(thread) +
                       " is free",
                   {}, {{"connection", number}});
      std::lock_guard lock(lock_);
      conn->timeout = Clock::now() + std::chrono::milliseconds(settings_.keepalive_ms);
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.ptr = conn.get();
      ::epoll_ctl(poller_.get(), EPOLL_CTL_ADD, conn->connection.fd(), &event);
      keep_.push_back(std::move(conn));
    } else {
      close(std::move(conn), thread_voice,
            "finish_request: the connection is not kept alive. Thread " + std::to_string(thread) +
                " is free");
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(request_done_.get(), &one, sizeof one);
  }
  thread_voice(Phase::Exit, 0, trace::kServerInternals,
               "Pool thread " + std::to_string(thread) + " stops");
}

void GthreadWorker::close(std::unique_ptr<Conn> conn, const trace::Emitter& voice,
                          const std::string& why) {
  --nr_conns_;
  voice(Phase::Idle, 0, trace::kServerInternals,
        "Connection " + std::to_string(conn->number) + " is closed: " + why, {},
        {{"connection", conn->number}});
  conn.reset();
}

}  // namespace reqtrace::server
