#include "sim/server/werkzeug_startup.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace reqtrace::server {

using trace::Phase;

const char* WerkzeugStartup::class_name() const {
  switch (server_) {
    case WerkzeugServer::Threaded:
      return "ThreadedWSGIServer";
    case WerkzeugServer::Forking:
      return "ForkingWSGIServer";
    default:
      return "BaseWSGIServer";
  }
}

void WerkzeugStartup::run_simple(const trace::Emitter& emit) const {
  std::string says;
  nlohmann::json data = {{"function", "werkzeug.serving.run_simple"}};
  switch (server_) {
    case WerkzeugServer::Threaded:
      says =
          "app.run() calls run_simple(host, port, app, threaded=True): Flask.run sets "
          "threaded=True unless told otherwise (since Flask 1.0)";
      data.update({{"threaded", true}, {"processes", 1}, {"caller", "flask.Flask.run"}});
      break;
    case WerkzeugServer::Forking:
      says = "run_simple(host, port, app, processes=" + std::to_string(processes_) +
             "): Werkzeug's development server, forking";
      data.update({{"threaded", false}, {"processes", processes_}});
      break;
    default:
      says =
          "run_simple(host, port, app), without threaded or processes: Werkzeug's development "
          "server, one request at a time (app.run(threaded=False), or Flask before 1.0)";
      data.update({{"threaded", false}, {"processes", 1}});
  }
  emit(Phase::Listening, 0, trace::kFrameworkInternals, says, {}, data);
}

void WerkzeugStartup::socket_ready(const trace::Emitter& emit, const Endpoint& address,
                                   int backlog) const {
  emit(Phase::Listening, 0, trace::kFrameworkInternals,
       "run_simple -> prepare_socket(): socket(), SO_REUSEADDR, bind() to " + address.to_string() +
           ", listen(" + std::to_string(backlog) + "): the socket exists before any server object",
       {},
       {{"function", "werkzeug.serving.prepare_socket"},
        {"host", address.host},
        {"port", address.port},
        {"backlog", backlog}});
  const bool threaded = server_ == WerkzeugServer::Threaded;
  const bool forking = server_ == WerkzeugServer::Forking;
  std::string says = "run_simple -> make_server() -> " + std::string(class_name()) +
                     "(host, port, app, fd=...): it takes the bound socket (socket.fromfd) ";
  says += threaded || forking
              ? std::string("and, as ") + (threaded ? "multithread" : "multiprocess") +
                    " is True, sets its handler's protocol_version to HTTP/1.1"
              : "and keeps its handler's protocol_version, HTTP/1.0";
  if (forking) says += "; max_children = processes = " + std::to_string(processes_);
  nlohmann::json data = {{"function", "werkzeug.serving.make_server"},
                         {"class", class_name()},
                         {"protocol_version", threaded || forking ? "HTTP/1.1" : "HTTP/1.0"},
                         {"multithread", threaded},
                         {"multiprocess", forking}};
  if (forking) data["max_children"] = processes_;
  emit(Phase::Listening, 0, trace::kFrameworkInternals, says, {}, data);
}

void WerkzeugStartup::serve_forever(const trace::Emitter& emit) const {
  std::string says = "srv.serve_forever(): socketserver's loop waits in select() for a connection";
  switch (server_) {
    case WerkzeugServer::Threaded:
      says += "; ThreadingMixIn.process_request starts a new thread for each one, no limit";
      break;
    case WerkzeugServer::Forking:
      says += "; ForkingMixIn.process_request forks a child for each one, at most " +
              std::to_string(processes_) + " alive at once";
      break;
    default:
      says += "; each one is served on this thread (finish_request) before the next is accepted";
  }
  emit(Phase::Listening, 0, trace::kFrameworkInternals, says, {},
       {{"function", "socketserver.BaseServer.serve_forever"}, {"class", class_name()}});
}

}  // namespace reqtrace::server
