#include "sim/server/prefork_server.hpp"

#include "sim/server/arbiter.hpp"

namespace reqtrace::server {

PreforkServer::PreforkServer(ServerConfig config, int workers, AppFactory make_app,
                             trace::Emitter emitter)
    : WsgiServer(std::move(config), std::move(emitter)),
      worker_count_(workers),
      make_app_(std::move(make_app)) {}

PreforkServer::~PreforkServer() = default;

WsgiServer::Announcement PreforkServer::announcement() const {
  // Says what it is, not what it will do next: prefork-crowd asks that before it happens.
  return {"Server binds and listens on http://" + address().to_string() + "/: a pre-fork server, " +
              std::to_string(worker_count_) + " workers",
          {{"model", "prefork"}, {"workers", worker_count_}}};
}

bool PreforkServer::start(std::string& error) {
  return arbiter_.start(
      emit_.recorder(),
      [this](trace::Recorder* recorder, int events_fd) {
        Arbiter arbiter(config_, worker_count_, make_app_, *socket_, *next_req_, recorder,
                        events_fd, emit_.lane());
        return arbiter.run(arbiter_.stop_fd());
      },
      error);
}

void PreforkServer::serve_forever() {
  arbiter_.relay_until_exit(emit_);
}

void PreforkServer::stop() {
  arbiter_.stop();
}

}  // namespace reqtrace::server
