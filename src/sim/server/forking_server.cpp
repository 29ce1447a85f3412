#include "sim/server/forking_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/server/listening.hpp"
#include "sim/server/request_handler.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;
using Clock = std::chrono::steady_clock;

std::string child_lane(pid_t pid) {
  return "worker-" + std::to_string(pid);
}

}  // namespace

ForkingServer::ForkingServer(ServerConfig config, int max_children, const AppFactory& make_app,
                             trace::Emitter emitter)
    : config_(std::move(config)), max_children_(std::max(1, max_children)), emit_(emitter) {
  if (emit_.recorder())
    children_recorder_ = std::make_unique<trace::Recorder>(trace::Recorder::ContinuingAfterFork{},
                                                           *emit_.recorder());
  app_ = make_app(trace::Emitter(children_recorder_.get(), trace::Actor::App, "app"));
}

ForkingServer::~ForkingServer() = default;

bool ForkingServer::listen(std::string& error) {
  socket_ = ListeningSocket::listen(config_, error);
  if (!socket_) return false;
  announce_listening(*socket_, emit_,
                     "Server listens on http://" + address().to_string() +
                         "/ and will fork a child for each connection",
                     {{"model", "fork-per-request"}, {"max_children", max_children_}});
  return process_.start(
      emit_.recorder(),
      [this](trace::Recorder* recorder, int events_fd) { return accept_loop(recorder, events_fd); },
      error);
}

const Endpoint& ForkingServer::address() const {
  return socket_->address();
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
  std::vector<Child> children;
  bool stopping = false;
  std::optional<Clock::time_point> give_up_at;
  for (;;) {
    std::vector<pollfd> fds;
    if (!stopping) fds.push_back({process_.stop_fd(), POLLIN, 0});
    const bool room = static_cast<int>(children.size()) < max_children_;
    if (!stopping && room) {
      // At the cap the listening sockets are left alone: connections wait in the backlog.
      fds.push_back({socket_->fd(), POLLIN, 0});
      if (socket_->uwsgi_fd() >= 0) fds.push_back({socket_->uwsgi_fd(), POLLIN, 0});
    }
    bool awaiting_exit = false;  // a child closed its pipe, so it is exiting: look again soon
    for (const auto& child : children) {
      if (child.events.open())
        fds.push_back({child.events.fd(), POLLIN, 0});
      else
        awaiting_exit = true;
    }
    const int timeout_ms = awaiting_exit ? 5 : stopping ? 50 : -1;
    if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) return 1;

    bool incoming = false;
    for (const auto& polled : fds) {
      if (!polled.revents) continue;
      if (polled.fd == process_.stop_fd()) stopping = true;
      if (polled.fd == socket_->fd() || polled.fd == socket_->uwsgi_fd()) incoming = true;
    }
    for (auto it = children.begin(); it != children.end();) {
      if (it->events.open() && !it->events.relay(recorder)) {
        it->req = it->events.last_request();
        it->events = ChildEvents();
      }
      int status = 0;
      if (::waitpid(it->pid, &status, WNOHANG) == it->pid) {
        reap(*it, status, server_voice);
        it = children.erase(it);
      } else {
        ++it;
      }
    }
    if (incoming && !stopping) {
      // poll() said a connection is waiting, so accept() returns it without blocking.
      std::optional<Connection> connection = socket_->accept();
      if (connection) fork_child(connection, children, events_fd, server_voice);
    }
    if (recorder) recorder->flush();
    if (!stopping) continue;
    if (children.empty()) return 0;
    if (!give_up_at) give_up_at = Clock::now() + std::chrono::seconds(3);
    if (Clock::now() > *give_up_at)
      for (const auto& child : children) ::kill(child.pid, SIGKILL);  // stuck with a client
  }
}

void ForkingServer::fork_child(std::optional<Connection>& connection, std::vector<Child>& children,
                               int server_events_fd, const trace::Emitter& voice) {
  const std::string peer = connection->peer().to_string();
  EventsPipe pipe;
  int go[2] = {-1, -1};
  if (!open_events_pipe(pipe) || ::pipe2(go, O_CLOEXEC) != 0) {
    if (pipe.read_fd >= 0) ::close(pipe.read_fd);
    if (pipe.write_fd >= 0) ::close(pipe.write_fd);
    voice(Phase::Error, 0, trace::kOverview,
          "Server cannot fork for the connection from " + peer +
              ": out of file descriptors; it closes the connection");
    return;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe.read_fd);
    ::close(go[1]);
    ::close(server_events_fd);  // the child's events go through the server process
    // Wait until the server has recorded the fork, so the trace's order is the true one.
    char byte;
    while (::read(go[0], &byte, 1) < 0 && errno == EINTR) {
    }
    ::close(go[0]);
    serve_in_child(*connection, pipe.write_fd);
  }
  ::close(pipe.write_fd);
  ::close(go[0]);
  if (pid < 0) {
    const std::string why = std::strerror(errno);
    ::close(pipe.read_fd);
    ::close(go[1]);
    voice(Phase::Error, 0, trace::kOverview,
          "Server cannot fork (" + why + "); it closes the connection from " + peer);
    return;
  }
  children.push_back({pid, ChildEvents(pipe.read_fd), 0});
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
  ::close(go[1]);  // the child may run now
}

void ForkingServer::serve_in_child(Connection& connection, int events_fd) {
  // This process is a copy of the server taken at fork(): the app object, the connection, and
  // the one thread. It serves this one connection and exits.
  int code = 0;
  try {
    trace::Recorder* recorder = children_recorder_.get();
    if (recorder) {
      send_events_down(*recorder, events_fd);
      recorder->start_background_flush(std::chrono::milliseconds(10));
    }
    const std::string lane = child_lane(::getpid());
    wsgi::ServerTraits traits;
    traits.multiprocess = true;  // run_once stays False, as Werkzeug's ForkingMixIn says
    RequestHandler handler(config_, *app_, traits, socket_->address(),
                           trace::Emitter(recorder, trace::Actor::Server, lane), *next_req_);
    handler.handle(connection);
    finish_child_events(recorder, -1);
  } catch (...) {
    code = 1;
  }
  ::close(events_fd);
  ::_exit(code);
}

void ForkingServer::reap(Child& child, int status, const trace::Emitter& voice) {
  if (child.events.open()) {
    child.events.relay(voice.recorder());  // whatever it said before it went
    child.req = child.events.last_request();
    child.events = ChildEvents();
  }
  const std::string how = describe_exit(status);
  trace::Emitter(voice.recorder(), trace::Actor::Worker, child_lane(child.pid))(
      Phase::Exit, child.req, trace::kOverview,
      "Child " + std::to_string(child.pid) + " " + how +
          "; the server reaps it with waitpid(), and its copy of the app is gone",
      {}, {{"pid", child.pid}, {"status", how}});
}

}  // namespace reqtrace::server
