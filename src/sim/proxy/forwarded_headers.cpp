#include "sim/proxy/forwarded_headers.hpp"

#include <algorithm>
#include <array>

#include "sim/http/request.hpp"
#include "sim/http/syntax.hpp"
#include "sim/proxy/nginx_variables.hpp"
#include "sim/server/request_number.hpp"

namespace reqtrace::proxy {
namespace {

bool is_one_of(std::string_view name, const auto& names) {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view known) { return http::iequals(name, known); });
}

std::string line_text(const SetHeader& line) {
  return "proxy_set_header " + line.name + " " + (line.value.empty() ? "\"\"" : line.value);
}

}  // namespace

const std::vector<SetHeader>& default_proxy_headers() {
  static const std::vector<SetHeader> defaults = {
      {"Host", "$proxy_host"},
      {"Connection", "close"},
      {"Content-Length", "$proxy_internal_body_length"},
      {"Transfer-Encoding", "$proxy_internal_chunked"},
      {"TE", ""},
      {"Keep-Alive", ""},
      {"Expect", ""},
      {"Upgrade", ""},
  };
  return defaults;
}

HeaderList UpstreamHeaders::list() const {
  HeaderList out;
  for (const auto& header : passed) out.emplace_back(header.name, header.value);
  return out;
}

UpstreamHeaders upstream_request_headers(const VariableSource& source,
                                         const std::vector<SetHeader>& set_headers, int req) {
  // ngx_http_proxy_init_headers: the location's own lines, then each default not overridden.
  std::vector<std::pair<SetHeader, bool>> lines;  // the line, and whether it is a default
  lines.reserve(set_headers.size() + default_proxy_headers().size());
  for (const auto& line : set_headers) lines.emplace_back(line, false);
  for (const auto& line : default_proxy_headers()) {
    const bool overridden =
        std::any_of(set_headers.begin(), set_headers.end(),
                    [&](const auto& own) { return http::iequals(own.name, line.name); });
    if (!overridden) lines.emplace_back(line, true);
  }

  const http::Request& request = source.request;
  const bool has_body = request.chunked || request.header("Content-Length").has_value();
  UpstreamHeaders out;
  std::vector<std::string_view> named;
  for (const auto& [line, is_default] : lines) {
    named.push_back(line.name);
    std::string value;
    if (line.value == "$proxy_internal_body_length")
      value = has_body ? std::to_string(request.body.size()) : "";
    else if (line.value != "$proxy_internal_chunked")  // only without request buffering
      value = expand_variables(line.value, source);
    if (value.empty()) continue;  // an empty value: the field is not sent at all
    out.passed.push_back(
        {line.name, value, line_text(line) + (is_default ? " (nginx's default)" : "")});
  }
  for (const auto& header : request.headers) {
    if (http::iequals(header.name, server::kRequestNumberHeader)) continue;
    const auto line = std::find_if(named.begin(), named.end(), [&](std::string_view name) {
      return http::iequals(name, header.name);
    });
    if (line == named.end()) {
      out.passed.push_back({header.name, header.value, "from the client"});
      continue;
    }
    const auto& [set, is_default] = *std::find_if(lines.begin(), lines.end(), [&](const auto& l) {
      return http::iequals(l.first.name, header.name);
    });
    out.dropped.push_back(
        {header.name, "replaced by " + line_text(set) + (is_default ? " (nginx's default)" : "")});
  }
  out.passed.push_back({std::string(server::kRequestNumberHeader), std::to_string(req),
                        "reqtrace's own: ties the server's events to this request"});
  return out;
}

HeaderList client_response_headers(const HeaderList& upstream_headers) {
  // RFC 9110 section 7.6.1's hop-by-hop fields and the framing the proxy does itself.
  constexpr std::array<std::string_view, 7> kHopByHop = {
      "Connection", "Keep-Alive",        "Proxy-Connection", "TE",
      "Trailer",    "Transfer-Encoding", "Upgrade"};
  // proxy_hide_header's defaults (ngx_http_proxy_hide_headers), and the length the proxy frames.
  constexpr std::array<std::string_view, 9> kHidden = {"Date",
                                                       "Server",
                                                       "X-Pad",
                                                       "X-Accel-Expires",
                                                       "X-Accel-Redirect",
                                                       "X-Accel-Limit-Rate",
                                                       "X-Accel-Buffering",
                                                       "X-Accel-Charset",
                                                       "Content-Length"};
  HeaderList out;
  for (const auto& [name, value] : upstream_headers)
    if (!is_one_of(name, kHopByHop) && !is_one_of(name, kHidden)) out.emplace_back(name, value);
  return out;
}

const std::string* find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers)
    if (http::iequals(key, name)) return &value;
  return nullptr;
}

}  // namespace reqtrace::proxy
