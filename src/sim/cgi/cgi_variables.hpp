// The CGI meta-variables (RFC 3875, section 4.1) a server hands a program for one request.
#pragma once

#include <map>
#include <string>

#include "sim/http/request.hpp"
#include "sim/server/socket.hpp"

namespace reqtrace::server {

// NAME -> value, for the program's environment. The request's headers become HTTP_* except
// those RFC 3875 says to keep from the program (credentials, and Content-Length and
// Content-Type, which have their own variables) and those a program would misread.
std::map<std::string, std::string> cgi_variables(const http::Request& request,
                                                 const Endpoint& client, const Endpoint& server,
                                                 const std::string& software);

}  // namespace reqtrace::server
