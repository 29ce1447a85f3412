// The CGI model (RFC 3875): for each request the server starts a program, hands it the request in
// its environment and on its stdin, and reads the response from its stdout; the program exits
// after that one request.
#pragma once

#include "sim/cgi/cgi_process.hpp"
#include "sim/server/wsgi_server.hpp"

namespace reqtrace::server {

class CgiServer : public WsgiServer {
 public:
  // `workers` threads each serve one connection at a time, each request by a program of its own.
  CgiServer(ServerConfig config, int workers, CgiProgram program, trace::Emitter emitter);
  ~CgiServer() override;

  void serve_forever() override;

 private:
  // Over HTTP only: a CGI server is a web server of its own, no upstream for uwsgi_pass.
  bool can_serve(std::string& error) const override;
  Announcement announcement() const override;
  void serve(Connection& connection);

  int workers_;
  CgiProgram program_;
};

}  // namespace reqtrace::server
