// The CGI model (RFC 3875): for each request the server starts a program, hands it the request in
// its environment and on its stdin, and reads the response from its stdout; the program exits
// after that one request.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "sim/server/cgi_process.hpp"
#include "sim/server/server_config.hpp"
#include "sim/server/socket.hpp"
#include "sim/server/wsgi_server.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::server {

class CgiServer : public WsgiServer {
 public:
  // `workers` threads each serve one connection at a time, each request by a program of its own.
  CgiServer(ServerConfig config, int workers, CgiProgram program, trace::Emitter emitter);
  ~CgiServer() override;

  bool listen(std::string& error) override;
  const Endpoint& address() const override;
  void serve_forever() override;
  void stop() override;

 private:
  void serve(Connection& connection);

  ServerConfig config_;
  int workers_;
  CgiProgram program_;
  trace::Emitter emit_;
  std::unique_ptr<ListeningSocket> socket_;
  std::atomic<int> next_req_{0};
};

}  // namespace reqtrace::server
