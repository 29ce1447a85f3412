// Building environ from a uwsgi packet, as uWSGI's Python plugin does: the vars nginx sent are the
// CGI part of environ, the server adds the wsgi.* keys.
#pragma once

#include <string>
#include <vector>

#include "sim/server/socket.hpp"
#include "sim/uwsgi/packet.hpp"
#include "sim/wsgi/environ.hpp"
#include "sim/wsgi/environ_builder.hpp"

namespace reqtrace::server {

struct UwsgiEnviron {
  wsgi::Environ environ;
  // Keys PEP 3333 requires that the packet lacked, so the server filled them in.
  std::vector<std::string> filled_in;
};

// `body` is what followed the packet: CONTENT_LENGTH bytes. `server_address` is the uwsgi
// socket, for SERVER_NAME and SERVER_PORT when the packet does not carry them.
UwsgiEnviron build_uwsgi_environ(const uwsgi::Vars& vars, std::string body,
                                 const wsgi::ServerTraits& traits, const Endpoint& server_address,
                                 int req);

}  // namespace reqtrace::server
