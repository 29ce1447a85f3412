#include "sim/server/prefork_server.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace reqtrace::server {
namespace {

// What the arbiter tells the process that started it, down a pipe, once it has bound: the
// addresses, or why it could not.
void tell_bound(int fd, const ListeningSocket* socket, const std::string& error) {
  nlohmann::json said;
  if (socket) {
    said["host"] = socket->address().host;
    said["port"] = socket->address().port;
    if (const auto& uwsgi = socket->uwsgi_address())
      said["uwsgi"] = {{"host", uwsgi->host}, {"port", uwsgi->port}};
  } else {
    said["error"] = error;
  }
  const std::string line = said.dump();
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string read_to_end(int fd) {
  std::string all;
  char buffer[512];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return all;
    all.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

PreforkServer::PreforkServer(ServerConfig config, int workers, WorkerClass worker_class,
                             AppFactory make_app, trace::Emitter emitter)
    : WsgiServer(std::move(config), std::move(emitter)),
      worker_count_(workers),
      worker_class_(worker_class),
      make_app_(std::move(make_app)) {}

PreforkServer::~PreforkServer() = default;

WsgiServer::Announcement PreforkServer::announcement() const {
  // Says what it is, not what it will do next: the crowd lessons ask that before it happens.
  const std::string pid = std::to_string(::getpid());
  if (worker_class_.kind == WorkerClass::Kind::Gthread) {
    const int threads = worker_class_.gthread.threads;
    return {"The arbiter (pid " + pid + ") binds and listens on http://" + address().to_string() +
                "/: gunicorn's gthread worker class, " + std::to_string(worker_count_) +
                " worker with " + std::to_string(threads) + " threads",
            {{"model", "threaded"},
             {"worker_class", "gthread"},
             {"workers", worker_count_},
             {"threads", threads},
             {"binds", "arbiter"},
             {"accepts", "each worker's main thread (its poller)"}}};
  }
  return {"The arbiter (pid " + pid + ") binds and listens on http://" + address().to_string() +
              "/: a pre-fork server, " + std::to_string(worker_count_) + " workers",
          {{"model", "prefork"},
           {"worker_class", "sync"},
           {"workers", worker_count_},
           {"binds", "arbiter"},
           {"accepts", "each worker"}}};
}

bool PreforkServer::bind_and_start(std::string& error) {
  Pipe bound;
  if (!bound.open()) {
    error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  const bool started = arbiter_.start(
      emit_.recorder(),
      [this, &bound](trace::Recorder* recorder, int events_fd) {
        bound.read.reset();
        // Arbiter.start(): sock.create_sockets, in the arbiter's own process, before any fork.
        std::string why;
        std::unique_ptr<ListeningSocket> socket = ListeningSocket::listen(config_, why);
        if (socket) announce(*socket, trace::Emitter(recorder, trace::Actor::Server, emit_.lane()));
        tell_bound(bound.write.get(), socket.get(), why);
        bound.write.reset();  // no worker inherits it
        if (!socket) return 1;
        Arbiter arbiter(config_, worker_count_, worker_class_, make_app_, *socket, *next_req_,
                        recorder, events_fd, emit_.lane());
        return arbiter.run(arbiter_.stop_fd());
      },
      error);
  bound.write.reset();
  if (!started) return false;
  const nlohmann::json said = nlohmann::json::parse(read_to_end(bound.read.get()), nullptr, false);
  if (said.is_discarded() || !said.is_object()) {
    error = "the arbiter exited before it could bind";
    return false;
  }
  if (said.contains("error")) {
    error = said["error"].get<std::string>();
    return false;
  }
  address_ = {said["host"].get<std::string>(), said["port"].get<int>()};
  if (said.contains("uwsgi"))
    uwsgi_address_ =
        Endpoint{said["uwsgi"]["host"].get<std::string>(), said["uwsgi"]["port"].get<int>()};
  return true;
}

void PreforkServer::serve_forever() {
  arbiter_.relay_until_exit(emit_);
}

void PreforkServer::stop() {
  arbiter_.stop();
}

}  // namespace reqtrace::server
