#include "sim/server/sync_worker.hpp"

#include <poll.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "sim/server/request_handler.hpp"

namespace reqtrace::server {
namespace {

// What SyncWorker.wait() found.
enum class Ready { Http, Uwsgi, Nothing, Woken, Terminated };

// SyncWorker.wait(): select() on the listening sockets and the worker's own pipe, for at most
// link.wait_ms: a listening socket readable, nothing before the wait ran out, or stop (the
// arbiter woke every worker, or SIGTERM this one).
Ready wait(ListeningSocket& socket, const ArbiterLink& link) {
  // A closed fd (-1) in the set is ignored by poll().
  pollfd fds[4] = {{socket.wake_fd(), POLLIN, 0},
                   {link.quit_fd, POLLIN, 0},
                   {socket.fd(), POLLIN, 0},
                   {socket.uwsgi_fd(), POLLIN, 0}};
  const int ready = ::poll(fds, 4, link.wait_ms);
  if (ready < 0 && errno != EINTR) return Ready::Woken;
  if (fds[0].revents & POLLIN) return Ready::Woken;
  // A SIGTERM that came with a connection is handled before poll() returns, so its byte is in
  // the pipe now: like gunicorn's "while self.alive", the worker then takes no more.
  if ((fds[1].revents & POLLIN) || link.terminated()) return Ready::Terminated;
  if (fds[2].revents & POLLIN) return Ready::Http;
  if (fds[3].revents & POLLIN) return Ready::Uwsgi;
  return Ready::Nothing;
}

}  // namespace

void run_sync_worker(int number, const ServerConfig& config, wsgi::Application& app,
                     const wsgi::ServerTraits& traits, ListeningSocket& socket,
                     std::atomic<int>& next_req, trace::Recorder* recorder,
                     const trace::Emitter& worker_voice, const ArbiterLink& link) {
  using trace::Phase;
  const std::string worker = "Worker " + std::to_string(number);
  worker_voice(Phase::Boot, 0, trace::kServerInternals,
               worker + " boots: it waits in accept() on the socket it inherited");
  RequestHandler handler(config, app, traits, socket.address(),
                         trace::Emitter(recorder, trace::Actor::Server, worker_voice.lane()),
                         next_req);
  for (;;) {
    link.notify();  // run_for_one: self.notify() at the top of each turn
    const Ready ready = wait(socket, link);
    if (ready == Ready::Woken) return;
    if (ready == Ready::Terminated) {
      worker_voice(Phase::Idle, 0, trace::kServerInternals,
                   worker + " got SIGTERM (handle_exit): it accepts no more and exits", {},
                   {{"sigterm", true}});
      return;
    }
    if (ready == Ready::Nothing) continue;  // the wait ran out: notify again
    // accept() on a non-blocking socket: a sibling may have taken the connection first.
    std::optional<Connection> connection =
        socket.accept_now(ready == Ready::Http ? Protocol::Http : Protocol::Uwsgi);
    if (!connection) continue;
    worker_voice(Phase::Busy, 0, trace::kServerInternals, worker + " takes a connection");
    handler.handle(*connection);
    worker_voice(Phase::Idle, 0, trace::kServerInternals, worker + " is free again");
  }
}

}  // namespace reqtrace::server
