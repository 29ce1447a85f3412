// gunicorn 20.1's gthread worker (workers/gthread.py ThreadWorker): the worker's main thread polls
// the listening socket and accepts; each connection goes to a pool of threads, one request at a
// time; a connection kept alive goes back to the poller until its next request arrives.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/server/file_descriptor.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/worker_process.hpp"
#include "sim/wsgi/application.hpp"
#include "sim/wsgi/environ_builder.hpp"
#include "trace/emitter.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {

// gunicorn's settings for the worker (config.py), with its defaults.
struct GthreadSettings {
  int threads = 1;                // --threads: the most pool threads
  int worker_connections = 1000;  // --worker-connections: the most connections held at once
  int keepalive_ms = 2000;        // --keep-alive 2: how long a kept-alive connection may idle
};

// The timeline lane of worker `number`'s pool thread `thread`: "worker-1/thread-2".
std::string pool_thread_lane(int number, int thread);

class GthreadWorker {
 public:
  // Worker `number` of its arbiter, serving `app` from `socket`; its events go into `recorder`.
  // The main thread notifies the arbiter through `link` at each turn of the poller loop.
  GthreadWorker(int number, const ServerConfig& config, GthreadSettings settings,
                wsgi::Application& app, wsgi::ServerTraits traits, ListeningSocket& socket,
                std::atomic<int>& next_req, trace::Recorder* recorder, ArbiterLink link = {});
  ~GthreadWorker();
  GthreadWorker(const GthreadWorker&) = delete;
  GthreadWorker& operator=(const GthreadWorker&) = delete;

  // ThreadWorker.run(), on the calling thread (the worker's main thread): the poller loop, until
  // the socket's wake() or SIGTERM. Only this loop notifies the arbiter: a pool thread stuck in a
  // view does not stop it, so the worker timeout never cuts such a view, as in gunicorn. Then, as
  // gunicorn's exit does, the pool finishes the connections it was given, its threads are joined
  // and the kept-alive connections closed.
  void run();

 private:
  struct Conn;  // gunicorn's TConn: the connection and its parser

  void accept(Protocol protocol);
  // enqueue_req(): tpool.submit(handle, conn). A pool thread is started when none is idle and
  // fewer than `threads` exist, as ThreadPoolExecutor._adjust_thread_count does.
  void enqueue_req(std::unique_ptr<Conn> conn);
  // The poller saw a kept-alive connection readable: its next request is here.
  void reuse_connection(Conn* conn);
  // Closes the kept-alive connections idle past their deadline.
  void murder_keepalived();
  // One pool thread: takes connections from the queue until shutdown and an empty queue.
  void pool_thread(int thread);
  // handle() then finish_request(), on the pool thread: one request, then the connection goes
  // back to the poller or is closed.
  void handle(std::unique_ptr<Conn> conn, const trace::Emitter& server_voice,
              const trace::Emitter& thread_voice);
  void close(std::unique_ptr<Conn> conn, const trace::Emitter& voice, const std::string& why);

  const int number_;
  const ServerConfig& config_;
  const GthreadSettings settings_;
  wsgi::Application& app_;
  const wsgi::ServerTraits traits_;
  ListeningSocket& socket_;
  std::atomic<int>& next_req_;
  trace::Recorder* recorder_;
  const ArbiterLink link_;
  const trace::Emitter worker_voice_;  // the main thread, as the worker
  const trace::Emitter server_voice_;  // the main thread, as the server accepting

  FileDescriptor poller_;        // epoll, like selectors.DefaultSelector on Linux
  FileDescriptor request_done_;  // eventfd: a pool thread finished a request
  std::atomic<bool> alive_{true};
  std::atomic<int> nr_conns_{0};
  int accepted_ = 0;  // numbers connections, on the main thread

  std::mutex lock_;                         // gunicorn's self._lock: the poller and _keep
  std::deque<std::unique_ptr<Conn>> keep_;  // kept-alive connections, oldest deadline first

  std::mutex queue_mutex_;  // ThreadPoolExecutor's work queue
  std::condition_variable queue_wake_;
  std::deque<std::unique_ptr<Conn>> queue_;
  int idle_threads_ = 0;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;  // started and joined on the main thread
};

}  // namespace reqtrace::server
