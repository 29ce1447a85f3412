// The nginx variables a proxy_set_header value may use, and what each holds for one request.
#pragma once

#include <string>
#include <string_view>

#include "sim/server/socket.hpp"

namespace reqtrace::http {
struct Request;
}

namespace reqtrace::proxy {

// What the variables are read from: the client's request and the two ends of its hop.
struct VariableSource {
  const http::Request& request;
  server::Endpoint client;    // $remote_addr, $remote_port
  server::Endpoint proxy;     // $server_addr, $server_port
  std::string server_name;    // $server_name
  std::string proxy_host;     // $proxy_host: the upstream as proxy_pass names it
  std::string document_root;  // $document_root
};

// $host (ngx_http_variable_host): the Host header's name, lower-cased and without its port, or
// server_name when the client sent no Host.
std::string host_variable(const VariableSource& source);

// $proxy_add_x_forwarded_for: the client's X-Forwarded-For headers joined by ", ", then
// $remote_addr (ngx_http_proxy_add_x_forwarded_for_variable).
std::string proxy_add_x_forwarded_for(const VariableSource& source);

// The value of one variable, named without its "$"; false when reqtrace does not know it.
// $http_NAME is the client's header NAME ("_" for "-"), empty when it sent none.
bool variable_value(std::string_view name, const VariableSource& source, std::string& value);

// `value` with each "$name" or "${name}" replaced by its value (unknown ones by "").
std::string expand_variables(std::string_view value, const VariableSource& source);

}  // namespace reqtrace::proxy
