#include "sim/server/threaded_wsgi_server.hpp"

#include <atomic>
#include <list>
#include <memory>
#include <thread>

#include "sim/server/request_handler.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;

// One connection's thread, and whether it has finished (so it can be joined without waiting).
struct ConnectionThread {
  std::thread thread;
  std::shared_ptr<std::atomic<bool>> done = std::make_shared<std::atomic<bool>>(false);
};

// Joins the threads that have finished, so a long serve does not keep them all.
void join_finished(std::list<ConnectionThread>& threads) {
  for (auto it = threads.begin(); it != threads.end();) {
    if (!it->done->load()) {
      ++it;
      continue;
    }
    it->thread.join();
    it = threads.erase(it);
  }
}

}  // namespace

ThreadedWsgiServer::ThreadedWsgiServer(ServerConfig config, wsgi::Application& app,
                                       trace::Emitter emitter)
    : WerkzeugWsgiServer(std::move(config), std::move(emitter),
                         WerkzeugStartup(WerkzeugServer::Threaded)),
      app_(app) {}

ThreadedWsgiServer::~ThreadedWsgiServer() {
  stop();
}

WsgiServer::Announcement ThreadedWsgiServer::announcement() const {
  return {"Server starts and listens on http://" + address().to_string() +
              "/: Werkzeug's ThreadedWSGIServer, a new thread for each connection",
          {{"model", "dev-threaded"},
           {"werkzeug", startup_.class_name()},
           {"threads", "one per connection, no limit"},
           {"socket", "bind() + listen(): the kernel now queues connections for us"}}};
}

void ThreadedWsgiServer::serve_forever() {
  startup_.serve_forever(emit_);
  wsgi::ServerTraits traits;
  traits.multithread = true;  // ThreadedWSGIServer.multithread
  std::list<ConnectionThread> threads;
  int started = 0;
  while (auto connection = socket_->accept()) {
    join_finished(threads);
    // Python names them Thread-1, Thread-2, ... (threading's counter), one per connection.
    const int number = ++started;
    const std::string lane = "thread-" + std::to_string(number);
    const std::string peer = connection->peer().to_string();
    const trace::Emitter thread_voice(emit_.recorder(), trace::Actor::Worker, lane);
    // ThreadingMixIn.process_request: the accepting thread starts the new one and goes straight
    // back to accept(); daemon_threads is True, and no count limits them.
    thread_voice(Phase::Fork, 0, trace::kServerInternals,
                 "Server starts a new thread, Thread-" + std::to_string(number) +
                     ", for the connection from " + peer +
                     " (ThreadingMixIn.process_request), and goes back to accept()",
                 {}, {{"thread", number}, {"peer", peer}, {"daemon", true}});
    ConnectionThread& entry = threads.emplace_back();
    entry.thread = std::thread([this, traits, lane, number, thread_voice, done = entry.done,
                                accepted = std::move(*connection)]() mutable {
      thread_voice(Phase::Boot, 0, trace::kServerInternals,
                   "Thread-" + std::to_string(number) +
                       " runs process_request_thread: it serves this one connection");
      RequestHandler handler(config_, app_, traits, socket_->address(), emit_.on_lane(lane),
                             *next_req_);
      handler.handle(accepted);
      thread_voice(Phase::Exit, 0, trace::kServerInternals,
                   "Thread-" + std::to_string(number) +
                       " ends: its connection is closed (shutdown_request), and the thread "
                       "is gone");
      done->store(true);
    });
  }
  // Werkzeug's threads are daemons that die with the process; ours share this object, so the
  // server waits for them before it is gone.
  for (auto& entry : threads) entry.thread.join();
}

}  // namespace reqtrace::server
