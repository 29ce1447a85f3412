#include "sim/server/sync_worker.hpp"

#include "sim/server/request_handler.hpp"

namespace reqtrace::server {

void run_sync_worker(int number, const ServerConfig& config, wsgi::Application& app,
                     const wsgi::ServerTraits& traits, ListeningSocket& socket,
                     std::atomic<int>& next_req, trace::Recorder* recorder,
                     const trace::Emitter& worker_voice) {
  using trace::Phase;
  const std::string worker = "Worker " + std::to_string(number);
  worker_voice(Phase::Boot, 0, trace::kServerInternals,
               worker +
                   " boots: it builds its own app and waits in accept() on the socket it "
                   "inherited");
  RequestHandler handler(config, app, traits, socket.address(),
                         trace::Emitter(recorder, trace::Actor::Server, worker_voice.lane()),
                         next_req);
  while (auto connection = socket.accept()) {
    worker_voice(Phase::Busy, 0, trace::kServerInternals, worker + " takes a connection");
    handler.handle(*connection);
    worker_voice(Phase::Idle, 0, trace::kServerInternals, worker + " is free again");
  }
}

}  // namespace reqtrace::server
