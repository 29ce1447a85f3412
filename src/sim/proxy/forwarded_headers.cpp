#include "sim/proxy/forwarded_headers.hpp"

#include <algorithm>
#include <array>

#include "sim/http/request.hpp"
#include "sim/http/syntax.hpp"
#include "sim/server/request_number.hpp"

namespace reqtrace::proxy {
namespace {

// RFC 9110 section 7.6.1, plus the non-standard ones nginx also keeps to one hop.
constexpr std::array<std::string_view, 8> kHopByHop = {
    "Connection", "Keep-Alive",        "Proxy-Connection", "TE",
    "Trailer",    "Transfer-Encoding", "Upgrade",          "Content-Length"};

bool is_one_of(std::string_view name, const auto& names) {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view known) { return http::iequals(name, known); });
}

// The names a Connection header lists are hop-by-hop too.
std::vector<std::string> named_by_connection(const std::vector<http::Header>& headers) {
  std::vector<std::string> names;
  for (const auto& header : headers)
    if (http::iequals(header.name, "Connection"))
      http::for_each_list_element(header.value, [&](std::string_view name) {
        if (!name.empty()) names.emplace_back(name);
      });
  return names;
}

}  // namespace

HeaderList upstream_request_headers(const http::Request& request, std::string_view client_address,
                                    int req) {
  // Set by the proxy itself; and Expect was answered by the proxy, which has the whole body.
  constexpr std::array<std::string_view, 4> kReplaced = {"X-Real-IP", "X-Forwarded-Proto",
                                                         server::kRequestNumberHeader, "Expect"};
  const auto listed = named_by_connection(request.headers);
  HeaderList out;
  std::string forwarded_for;
  for (const auto& header : request.headers) {
    if (is_one_of(header.name, kHopByHop) || is_one_of(header.name, listed) ||
        is_one_of(header.name, kReplaced))
      continue;
    if (http::iequals(header.name, "X-Forwarded-For")) {
      forwarded_for += (forwarded_for.empty() ? "" : ", ") + header.value;
      continue;
    }
    out.emplace_back(header.name, header.value);
  }
  forwarded_for += (forwarded_for.empty() ? "" : ", ") + std::string(client_address);
  out.emplace_back("X-Real-IP", std::string(client_address));
  out.emplace_back("X-Forwarded-For", forwarded_for);
  out.emplace_back("X-Forwarded-Proto", "http");
  out.emplace_back(std::string(server::kRequestNumberHeader), std::to_string(req));
  return out;
}

HeaderList client_response_headers(const HeaderList& upstream_headers) {
  std::vector<std::string> listed;
  for (const auto& [name, value] : upstream_headers)
    if (http::iequals(name, "Connection"))
      http::for_each_list_element(value, [&](std::string_view element) {
        if (!element.empty()) listed.emplace_back(element);
      });
  constexpr std::array<std::string_view, 2> kReplaced = {"Server", "Date"};
  HeaderList out;
  for (const auto& [name, value] : upstream_headers)
    if (!is_one_of(name, kHopByHop) && !is_one_of(name, listed) && !is_one_of(name, kReplaced))
      out.emplace_back(name, value);
  return out;
}

const std::string* find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers)
    if (http::iequals(key, name)) return &value;
  return nullptr;
}

}  // namespace reqtrace::proxy
