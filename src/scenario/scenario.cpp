#include "scenario/scenario.hpp"

#include <array>

namespace reqtrace::scenario {
namespace {

// Indexed by ServerModel; keep in the enum's order.
constexpr std::array<std::string_view, 7> kServerModelNames = {
    "invalid", "dev", "dev-threaded", "threaded", "prefork", "fork-per-request", "cgi"};

static_assert(static_cast<std::size_t>(ServerModel::Cgi) + 1 == kServerModelNames.size());

// Indexed by UpstreamProtocol: nginx's proxy_pass speaks http, uwsgi_pass speaks uwsgi.
constexpr std::array<std::string_view, 3> kUpstreamProtocolNames = {"invalid", "http", "uwsgi"};

static_assert(static_cast<std::size_t>(UpstreamProtocol::Uwsgi) + 1 ==
              kUpstreamProtocolNames.size());

}  // namespace

std::string_view name_of(ServerModel model) {
  return kServerModelNames[static_cast<std::size_t>(model)];
}

ServerModel server_model_from(std::string_view name) {
  // From 1: "invalid" is what an unknown name maps to, not a name a file may use.
  for (std::size_t i = 1; i < kServerModelNames.size(); ++i)
    if (kServerModelNames[i] == name) return static_cast<ServerModel>(i);
  return ServerModel::Invalid;
}

std::string_view name_of(UpstreamProtocol protocol) {
  return kUpstreamProtocolNames[static_cast<std::size_t>(protocol)];
}

UpstreamProtocol upstream_protocol_from(std::string_view name) {
  for (std::size_t i = 1; i < kUpstreamProtocolNames.size(); ++i)
    if (kUpstreamProtocolNames[i] == name) return static_cast<UpstreamProtocol>(i);
  return UpstreamProtocol::Invalid;
}

bool is_middleware(std::string_view name) {
  for (std::string_view known : kMiddlewareNames)
    if (known == name) return true;
  return false;
}

}  // namespace reqtrace::scenario
