#include "sim/proxy/nginx_variables.hpp"

#include <cctype>

#include "sim/http/request.hpp"
#include "sim/http/syntax.hpp"

namespace reqtrace::proxy {
namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The client's header for $http_NAME: "_" in the variable stands for "-" in the field name.
std::string http_header(const http::Request& request, std::string_view variable_name) {
  std::string field(variable_name);
  for (char& c : field)
    if (c == '_') c = '-';
  const auto value = request.header(field);
  return value ? std::string(*value) : std::string();
}

}  // namespace

std::string host_variable(const VariableSource& source) {
  const auto host = source.request.header("Host");
  if (!host || host->empty()) return source.server_name;
  std::string_view name = *host;
  if (name.front() == '[') {  // an IPv6 literal keeps its brackets
    const auto end = name.find(']');
    if (end != std::string_view::npos) name = name.substr(0, end + 1);
  } else if (const auto colon = name.find(':'); colon != std::string_view::npos) {
    name = name.substr(0, colon);
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return lower(name);
}

std::string proxy_add_x_forwarded_for(const VariableSource& source) {
  std::string list;
  for (const auto& header : source.request.headers)
    if (http::iequals(header.name, "X-Forwarded-For")) list += header.value + ", ";
  return list + source.client.host;
}

bool variable_value(std::string_view name, const VariableSource& source, std::string& value) {
  const http::Request& request = source.request;
  if (name == "remote_addr")
    value = source.client.host;
  else if (name == "remote_port")
    value = std::to_string(source.client.port);
  else if (name == "server_addr")
    value = source.proxy.host;
  else if (name == "server_port")
    value = std::to_string(source.proxy.port);
  else if (name == "server_name")
    value = source.server_name;
  else if (name == "server_protocol")
    value = request.version();
  else if (name == "scheme")
    value = "http";
  else if (name == "host")
    value = host_variable(source);
  else if (name == "proxy_host")
    value = source.proxy_host;
  else if (name == "proxy_port") {
    const auto colon = source.proxy_host.rfind(':');
    value = colon == std::string::npos ? "80" : source.proxy_host.substr(colon + 1);
  } else if (name == "proxy_add_x_forwarded_for")
    value = proxy_add_x_forwarded_for(source);
  else if (name == "request_uri")
    value = request.target;
  else if (name == "request_method")
    value = request.method;
  else if (name == "query_string" || name == "args")
    value = request.query;
  else if (name == "document_root")
    value = source.document_root;
  else if (name.substr(0, 5) == "http_" && name.size() > 5)
    value = http_header(request, name.substr(5));
  else
    return false;
  return true;
}

std::string expand_variables(std::string_view value, const VariableSource& source) {
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    if (value[i] != '$') {
      out += value[i++];
      continue;
    }
    std::string_view name;
    std::size_t next = i + 1;
    if (next < value.size() && value[next] == '{') {
      const auto close = value.find('}', next);
      if (close == std::string_view::npos) break;
      name = value.substr(next + 1, close - next - 1);
      next = close + 1;
    } else {
      while (next < value.size() && is_name_char(value[next])) ++next;
      name = value.substr(i + 1, next - i - 1);
    }
    std::string expanded;
    if (variable_value(name, source, expanded)) out += expanded;
    i = next;
  }
  return out;
}

}  // namespace reqtrace::proxy
