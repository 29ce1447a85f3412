#include "sim/wsgi/start_response.hpp"

#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

namespace reqtrace::wsgi {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_token(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!(std::isalnum(c) ||
          std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos))
      return false;
  return true;
}

bool has_control(std::string_view value) {
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
  return false;
}

}  // namespace

bool is_hop_by_hop(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kHopByHop = {
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
      "te",         "trailers",   "transfer-encoding",  "upgrade"};
  const std::string lowered = lower(name);
  for (auto hop : kHopByHop)
    if (lowered == hop) return true;
  return false;
}

int ServerStartResponse::status_code() const {
  return status_.size() >= 3 ? std::stoi(status_.substr(0, 3)) : 0;
}

void ServerStartResponse::operator()(const std::string& status, const Headers& headers,
                                     bool exc_info) {
  if (called_ && !exc_info)
    throw StartResponseError(
        "start_response() called a second time without exc_info (PEP 3333: \"it is a fatal "
        "error to call start_response without the exc_info argument if start_response has "
        "already been called\")");
  if (exc_info && headers_sent_)
    throw StartResponseError(
        "start_response(exc_info) after the headers were sent: the error is re-raised");
  if (status.size() < 4 || !std::isdigit(static_cast<unsigned char>(status[0])) ||
      !std::isdigit(static_cast<unsigned char>(status[1])) ||
      !std::isdigit(static_cast<unsigned char>(status[2])) || status[3] != ' ' ||
      status[0] == '0' || has_control(status))
    throw StartResponseError(
        "status \"" + status +
        R"(" is not "NNN Reason" (PEP 3333: three digits, a space, a reason phrase))");
  for (const auto& [name, value] : headers) {
    if (!is_token(name)) throw StartResponseError("header name \"" + name + "\" is not a token");
    if (is_hop_by_hop(name))
      throw StartResponseError("header \"" + name +
                               "\" is hop-by-hop: only the server may set it (PEP 3333)");
    if (has_control(value))
      throw StartResponseError("header \"" + name + "\" has a control character in its value");
  }
  called_ = true;
  status_ = status;
  headers_ = headers;
  nlohmann::json data = {{"status", status}, {"headers", nlohmann::json::array()}};
  for (const auto& [name, value] : headers) data["headers"].push_back({name, value});
  data["exc_info"] = exc_info;
  emitter_(trace::Phase::StartResponse, req_, trace::kServerInternals,
           "App calls start_response(\"" + status + "\", headers)", {{"response.status", status}},
           data);
}

}  // namespace reqtrace::wsgi
