#include "sim/server/threaded_server.hpp"

#include <thread>
#include <vector>

#include "sim/server/request_handler.hpp"

namespace reqtrace::server {

ThreadedServer::ThreadedServer(ServerConfig config, int threads, wsgi::Application& app,
                               trace::Emitter emitter)
    : WsgiServer(std::move(config), std::move(emitter)), threads_(threads), app_(app) {}

ThreadedServer::~ThreadedServer() {
  stop();
}

WsgiServer::Announcement ThreadedServer::announcement() const {
  return {"Server starts " + std::to_string(threads_) + " worker threads and listens on http://" +
              address().to_string() + "/",
          {{"model", "threaded"}, {"threads", threads_}}};
}

void ThreadedServer::serve_forever() {
  wsgi::ServerTraits traits;
  traits.multithread = true;
  std::vector<std::thread> pool;
  for (int k = 1; k <= threads_; ++k) {
    pool.emplace_back([this, k, traits] {
      const std::string lane = "worker-" + std::to_string(k);
      trace::Emitter worker(emit_.recorder(), trace::Actor::Worker, lane);
      worker(trace::Phase::Boot, 0, trace::kServerInternals,
             "Worker thread " + std::to_string(k) + " starts and waits in accept()");
      RequestHandler handler(config_, app_, traits, socket_->address(), emit_.on_lane(lane),
                             *next_req_);
      while (auto connection = socket_->accept()) {
        worker(trace::Phase::Busy, 0, trace::kServerInternals,
               "Worker thread " + std::to_string(k) + " takes a connection");
        handler.handle(*connection);
        worker(trace::Phase::Idle, 0, trace::kServerInternals,
               "Worker thread " + std::to_string(k) + " is free again");
      }
      worker(trace::Phase::Exit, 0, trace::kServerInternals,
             "Worker thread " + std::to_string(k) + " stops");
    });
  }
  for (auto& thread : pool) thread.join();
}

}  // namespace reqtrace::server
