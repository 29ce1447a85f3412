// The pre-fork model: an arbiter process binds the socket and forks N worker processes, each with
// its own app, as gunicorn does.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/server/app_factory.hpp"
#include "sim/server/child_events.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/wsgi_server.hpp"
#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

class PreforkServer : public WsgiServer {
 public:
  PreforkServer(ServerConfig config, int workers, AppFactory make_app, trace::Emitter emitter);
  ~PreforkServer() override;

  bool listen(std::string& error) override;
  const Endpoint& address() const override;
  std::optional<Endpoint> uwsgi_address() const override { return socket_->uwsgi_address(); }
  // The arbiter: forks the workers, relays their events into this process's
  // trace, and forks a replacement for any worker that dies, until stop().
  void serve_forever() override;
  void stop() override;

  // The worker processes alive now, for tests that kill one.
  std::vector<pid_t> worker_pids() const;

 private:
  struct Worker {
    int number = 0;  // 1..N: its lane is worker-<number>
    pid_t pid = -1;
    ChildEvents events;  // the pipe its events come home through
  };
  bool spawn(Worker& worker);
  [[noreturn]] void run_worker(int number, int events_fd);
  void relay_events(Worker& worker);
  void reap(bool stopping);

  ServerConfig config_;
  int worker_count_;
  AppFactory make_app_;
  trace::Emitter emit_;
  std::unique_ptr<ListeningSocket> socket_;
  std::atomic<bool> stopping_{false};
  std::atomic<int>* next_req_ = nullptr;  // in memory the forks share: one numbering for all
  int wake_fd_ = -1;                      // the arbiter's own wake-up, apart from the workers'
  mutable std::mutex workers_mutex_;
  std::vector<Worker> workers_;
};

}  // namespace reqtrace::server
