// A scenario's topology brought up for real on loopback: the app, its server, and their threads.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/client/browser.hpp"
#include "sim/server/socket.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::wsgi {
class Application;
}
namespace reqtrace::server {
class WsgiServer;
}

namespace reqtrace::topology {

struct Listen {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
};

class Stack {
 public:
  // Builds the app, binds the server and starts serving. nullptr with `error`
  // set when it cannot (the port is taken, the model is not built yet).
  static std::unique_ptr<Stack> start(const scenario::Scenario& scenario, trace::Recorder* recorder,
                                      const Listen& listen, std::string& error);
  ~Stack();  // stops
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // Where clients connect: the proxy when there is one, else the server.
  const server::Endpoint& front_door() const;
  void stop();

 private:
  Stack() = default;
  std::unique_ptr<wsgi::Application> app_;
  std::unique_ptr<server::WsgiServer> server_;
  std::thread serving_;
};

// One request of the scenario and what came back.
struct Exchange {
  int req = 0;
  scenario::Request request;
  client::Response response;
};

// Sends the scenario's requests in order from one browser, flushing the
// recorder after each, so a killed run keeps every finished request.
std::vector<Exchange> send_requests(const scenario::Scenario& scenario,
                                    const server::Endpoint& front_door, trace::Recorder* recorder);

}  // namespace reqtrace::topology
