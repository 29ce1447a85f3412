#include "sim/server/forking_server.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/server/request_handler.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;

// A child that closed its events pipe is exiting: the server looks again this soon to reap it.
constexpr std::chrono::milliseconds kExitingChildPoll{5};

std::string child_lane(pid_t pid) {
  return "worker-" + std::to_string(pid);
}

}  // namespace

ForkingServer::ForkingServer(ServerConfig config, int max_children, const AppFactory& make_app,
                             trace::Emitter emitter)
    : WerkzeugWsgiServer(std::move(config), std::move(emitter),
                         WerkzeugStartup(WerkzeugServer::Forking, std::max(1, max_children))),
      max_children_(std::max(1, max_children)) {
  if (emit_.recorder())
    children_recorder_ = std::make_unique<trace::Recorder>(trace::Recorder::ContinuingAfterFork{},
                                                           *emit_.recorder());
  app_ = make_app(trace::Emitter(children_recorder_.get(), trace::Actor::App, "app"));
  // Building the app (its add_url_rule calls) happened here, before any fork.
  if (children_recorder_) children_recorder_->hand_over_to(*emit_.recorder());
}

ForkingServer::~ForkingServer() = default;

WsgiServer::Announcement ForkingServer::announcement() const {
  // Says what it is, not what it will do: fork-per-request-crowd asks that before it happens.
  return {"Server listens on http://" + address().to_string() +
              "/: a forking server, Werkzeug's ForkingWSGIServer",
          {{"model", "fork-per-request"},
           {"werkzeug", startup_.class_name()},
           {"max_children", max_children_}}};
}

bool ForkingServer::start(std::string& error) {
  return process_.start(
      emit_.recorder(),
      [this](trace::Recorder* recorder, int events_fd) { return accept_loop(recorder, events_fd); },
      error);
}

void ForkingServer::serve_forever() {
  process_.relay_until_exit(emit_);
}

void ForkingServer::stop() {
  process_.stop();
}

int ForkingServer::accept_loop(trace::Recorder* recorder, int events_fd) {
  const trace::Emitter server_voice(recorder, trace::Actor::Server, emit_.lane());
  server_voice(Phase::Boot, 0, trace::kServerInternals,
               "The server's accept loop runs in a process of its own (pid " +
                   std::to_string(::getpid()) +
                   "), on one thread, as Werkzeug's does: it accepts, forks and reaps",
               {}, {{"pid", ::getpid()}});
  startup_.serve_forever(server_voice);
  Supervisor children(recorder, std::chrono::milliseconds(config_.graceful_timeout_ms));
  for (;;) {
    std::vector<pollfd> fds;
    if (!children.stopping()) fds.push_back({process_.stop_fd(), POLLIN, 0});
    const bool room = static_cast<int>(children.children().size()) < max_children_;
    if (!children.stopping() && room) {
      // At the cap the listening sockets are left alone: connections wait in the backlog.
      fds.push_back({socket_->fd(), POLLIN, 0});
      if (socket_->uwsgi_fd() >= 0) fds.push_back({socket_->uwsgi_fd(), POLLIN, 0});
    }
    const auto timeout = children.awaiting_exit() ? kExitingChildPoll
                         : children.stopping()    ? kArbiterSleep
                                                  : std::chrono::milliseconds(-1);
    if (children.wait(fds, static_cast<int>(timeout.count())) < 0) return 1;

    bool incoming = false;
    for (const auto& polled : fds) {
      if (!polled.revents) continue;
      if (polled.fd == process_.stop_fd()) children.stop();
      if (polled.fd == socket_->fd() || polled.fd == socket_->uwsgi_fd()) incoming = true;
    }
    children.relay();
    children.reap([&server_voice](Child& child, int status) {
      const std::string how = describe_exit(status);
      trace::Emitter(server_voice.recorder(), trace::Actor::Worker, child_lane(child.pid))(
          Phase::Exit, child.req, trace::kOverview,
          "Child " + std::to_string(child.pid) + " " + how +
              "; the server reaps it with waitpid(), and its copy of the app is gone",
          {}, {{"pid", child.pid}, {"status", how}});
    });
    if (incoming && !children.stopping()) {
      // poll() said a connection is waiting, so accept() returns it without blocking.
      std::optional<Connection> connection = socket_->accept();
      if (connection) fork_child(connection, children, events_fd, server_voice);
    }
    if (recorder) recorder->flush();
    if (!children.stopping()) continue;
    if (children.children().empty()) return 0;
    children.kill_stragglers();  // a child stuck with a client past graceful_timeout
  }
}

void ForkingServer::fork_child(std::optional<Connection>& connection, Supervisor& children,
                               int server_events_fd, const trace::Emitter& voice) {
  const std::string peer = connection->peer().to_string();
  Pipe go;  // the child waits on it until the server has recorded the fork
  if (!go.open()) {
    voice(Phase::Error, 0, trace::kOverview,
          "Server cannot fork for the connection from " + peer +
              ": out of file descriptors; it closes the connection");
    return;
  }
  Pipe events;
  // The child's events go through the server process: it closes the server's own pipe.
  const pid_t pid = children.fork(events, 0, server_events_fd);
  if (pid == 0) {
    go.write.reset();
    // Wait until the server has recorded the fork, so the trace's order is the true one.
    char byte;
    while (::read(go.read.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    go.read.reset();
    serve_in_child(*connection, std::move(events.write));
  }
  go.read.reset();
  if (pid < 0) {
    const std::string why = std::strerror(errno);
    voice(Phase::Error, 0, trace::kOverview,
          "Server cannot fork (" + why + "); it closes the connection from " + peer);
    return;
  }
  // The child has its own copy of the connection; the server's goes now, or the client would
  // not see the end of the response until both were closed.
  connection.reset();
  trace::Emitter(voice.recorder(), trace::Actor::Worker, child_lane(pid))(
      Phase::Fork, 0, trace::kOverview,
      "Server forks child process " + std::to_string(pid) + " to serve the connection from " +
          peer +
          ": a copy of the server, its app and the connection. The server closes its own copy "
          "and goes back to accept()",
      {}, {{"pid", pid}, {"parent_pid", ::getpid()}, {"peer", peer}});
  if (auto* recorder = voice.recorder()) recorder->flush();
  go.write.reset();  // the child may run now
}

void ForkingServer::serve_in_child(Connection& connection, FileDescriptor events) {
  // This process is a copy of the server taken at fork(): the app object, the connection, and
  // the one thread. It serves this one connection and exits.
  int code = 0;
  try {
    trace::Recorder* recorder = children_recorder_.get();
    if (recorder) {
      send_events_down(*recorder, events.get());
      recorder->start_background_flush(std::chrono::milliseconds(10));
    }
    const std::string lane = child_lane(::getpid());
    wsgi::ServerTraits traits;
    traits.multiprocess = true;  // run_once stays False, as Werkzeug's ForkingMixIn says
    RequestHandler handler(config_, *app_, traits, socket_->address(),
                           trace::Emitter(recorder, trace::Actor::Server, lane), *next_req_);
    handler.handle(connection);
    finish_child_events(recorder);
  } catch (...) {
    code = 1;
  }
  events.reset();
  ::_exit(code);
}

}  // namespace reqtrace::server
