#include "sim/cgi/cgi_variables.hpp"

#include "sim/http/syntax.hpp"
#include "sim/wsgi/environ_builder.hpp"

namespace reqtrace::server {
namespace {

// Header fields a program never sees as HTTP_*.
bool withheld(const std::string& name) {
  for (const char* kept_back :
       {// RFC 3875 4.1.18: credentials stay with the server (so an app behind CGI cannot
        // read Authorization, a classic surprise), and these two have their own variables.
        "Authorization", "Proxy-Authorization", "Content-Length", "Content-Type",
        // The body is handed over whole, its length in CONTENT_LENGTH.
        "Transfer-Encoding",
        // HTTP_PROXY is also the variable HTTP clients take their proxy from: a request
        // could point the program's own outgoing calls at the attacker ("httpoxy").
        "Proxy"})
    if (http::iequals(name, kept_back)) return true;
  // A name with '_' would become the same variable as its '-' twin, so Content_Length could
  // pose as something the server vetted: dropped, as Apache, nginx and gunicorn do.
  return name.find('_') != std::string::npos;
}

}  // namespace

std::map<std::string, std::string> cgi_variables(const http::Request& request,
                                                 const Endpoint& client, const Endpoint& server,
                                                 const std::string& software) {
  std::map<std::string, std::string> vars;
  vars["GATEWAY_INTERFACE"] = "CGI/1.1";
  vars["SERVER_SOFTWARE"] = software;
  vars["SERVER_NAME"] = server.host;
  vars["SERVER_PORT"] = std::to_string(server.port);
  vars["SERVER_PROTOCOL"] = request.version();
  vars["REQUEST_METHOD"] = request.method;
  // The whole URL space is the program's, so SCRIPT_NAME is empty and PATH_INFO the path,
  // decoded as the RFC says.
  vars["SCRIPT_NAME"] = "";
  vars["PATH_INFO"] = http::percent_decode(request.path);
  vars["QUERY_STRING"] = request.query;  // set even when empty (RFC 3875 4.1.7)
  vars["REMOTE_ADDR"] = client.host;
  // The RFC lets a server give the address instead of a name it would have to look up.
  vars["REMOTE_HOST"] = client.host;
  if (auto authorization = request.header("Authorization")) {
    // The scheme only ("Basic"); the credentials themselves are not passed on.
    const auto space = authorization->find(' ');
    vars["AUTH_TYPE"] = std::string(authorization->substr(0, space));
  }
  if (auto type = request.header("Content-Type")) vars["CONTENT_TYPE"] = std::string(*type);
  if (!request.body.empty() || request.header("Content-Length") || request.chunked)
    vars["CONTENT_LENGTH"] = std::to_string(request.body.size());

  for (const auto& header : request.headers) {
    if (withheld(header.name)) continue;
    // Repeated fields become one, joined as the RFC asks: same meaning, one value.
    auto [slot, inserted] = vars.emplace(wsgi::http_variable_name(header.name), header.value);
    if (!inserted) slot->second += ", " + header.value;
  }
  return vars;
}

}  // namespace reqtrace::server
