// A scenario's topology brought up for real on loopback: the app, its server, and their threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/server/socket.hpp"
#include "sim/topology/configs.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::wsgi {
class Application;
}
namespace reqtrace::server {
class WsgiServer;
}
namespace reqtrace::proxy {
class ProxyServer;
}

namespace reqtrace::topology {

class Stack {
 public:
  // Builds the app, binds the server and starts serving, and the proxy in front of it when the
  // topology has one. nullptr with `error` set when it cannot (the port is taken, the model is
  // not built yet, static_root is not a folder).
  static std::unique_ptr<Stack> start(const scenario::Scenario& scenario, trace::Recorder* recorder,
                                      const Listen& listen, std::string& error);
  ~Stack();  // stops
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // Where clients connect: the proxy when there is one, else the server.
  const server::Endpoint& front_door() const;
  // Where the WSGI server speaks uwsgi (Listen::uwsgi_port), when it does.
  std::optional<server::Endpoint> uwsgi_door() const;
  void stop();

 private:
  Stack() = default;
  bool start_proxy(const scenario::Proxy& proxy, const Listen& listen, trace::Recorder* recorder,
                   std::string& error);
  std::unique_ptr<wsgi::Application> app_;
  std::unique_ptr<server::WsgiServer> server_;
  std::thread serving_;
  // When the topology has a proxy: it listens on the front door, the server behind it on any
  // free loopback port.
  std::unique_ptr<proxy::ProxyServer> proxy_;
  std::thread proxying_;
};

}  // namespace reqtrace::topology
