// The uwsgi side of RequestHandler: read one packet and its body from nginx, build environ from
// the vars, answer as uWSGI does (status line, headers, body, close).
#include <chrono>
#include <nlohmann/json.hpp>

#include "sim/http/parse_error.hpp"
#include "sim/http/response_writer.hpp"
#include "sim/http/syntax.hpp"
#include "sim/server/request_handler.hpp"
#include "sim/server/request_number.hpp"
#include "sim/server/request_reader.hpp"
#include "sim/server/uwsgi_environ.hpp"
#include "sim/uwsgi/packet.hpp"

namespace reqtrace::server {
namespace {

using Clock = std::chrono::steady_clock;
using trace::Phase;

// CONTENT_LENGTH as uWSGI reads it: absent or empty means no body.
std::optional<std::size_t> content_length_of(const uwsgi::Vars& vars) {
  const std::string* value = uwsgi::find_var(vars, "CONTENT_LENGTH");
  if (!value || value->empty()) return 0;
  if (value->size() > 18) return std::nullopt;
  std::size_t length = 0;
  for (char c : *value) {
    if (c < '0' || c > '9') return std::nullopt;
    length = length * 10 + static_cast<std::size_t>(c - '0');
  }
  return length;
}

// What the request is about, for a one-line message: the path the app will route (PATH_INFO,
// which nginx may have stripped of a prefix) and the query; REQUEST_URI when there is no path.
std::string target_of(const uwsgi::Vars& vars) {
  const auto* path = uwsgi::find_var(vars, "PATH_INFO");
  if (!path || path->empty()) {
    const auto* uri = uwsgi::find_var(vars, "REQUEST_URI");
    return uri && !uri->empty() ? *uri : "/";
  }
  std::string target = *path;
  if (const auto* query = uwsgi::find_var(vars, "QUERY_STRING"); query && !query->empty())
    target += "?" + *query;
  return target;
}

nlohmann::json vars_json(const uwsgi::Vars& vars) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [key, value] : vars) out.push_back({key, value});
  return out;
}

}  // namespace

void RequestHandler::refuse_uwsgi(Connection& connection, const std::string& why,
                                  const std::string& raw, int req) {
  emit_(Phase::Error, req, trace::kOverview,
        "Server refuses a uwsgi request and closes the connection: " + why,
        {{"server.state", "Idle, waiting for next request"}},
        {{"reason", why}, {"raw", capped_for_trace(http::escape_bytes(raw))}});
  request_finished(emit_);
  connection.shutdown_write();
}

void RequestHandler::handle_uwsgi(Connection& connection) {
  const std::string peer = connection.peer().to_string();
  emit_(Phase::Accept, 0, trace::kServerInternals,
        "Server accepts a uwsgi connection from " + peer +
            ": a proxy will send one request as a binary uwsgi packet",
        {}, {{"peer", peer}, {"protocol", "uwsgi"}});
  serve_uwsgi(connection);
}

void RequestHandler::serve_uwsgi(Connection& connection) {
  const std::string peer = connection.peer().to_string();
  uwsgi::PacketDecoder decoder;
  std::string buffer;  // received after the packet: the start of the body
  // The packet, like an HTTP head, must be whole soon after its first byte.
  std::optional<Clock::time_point> deadline;
  while (!decoder.complete() && !decoder.failed()) {
    int wait_ms = config_.read_timeout_ms;
    bool deadline_bounds_wait = false;
    if (deadline) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      deadline_bounds_wait = left < wait_ms;
      wait_ms = static_cast<int>(std::max<long long>(0, std::min<long long>(wait_ms, left)));
    }
    std::string received;
    const auto result = connection.read_some(received, wait_ms);
    if (result == Connection::ReadResult::Timeout && deadline_bounds_wait) {
      refuse_uwsgi(connection,
                   "the uwsgi packet did not arrive within " +
                       std::to_string(config_.header_timeout_ms) + " ms of its first byte",
                   decoder.raw(), ++next_req_);
      return;
    }
    if (result != Connection::ReadResult::Data) {
      give_up_on_request(emit_, config_, result, decoder.raw(),
                         decoder.raw().empty() ? 0 : ++next_req_, "a uwsgi packet");
      return;
    }
    if (!deadline) deadline = Clock::now() + std::chrono::milliseconds(config_.header_timeout_ms);
    const std::size_t used = decoder.feed(received);
    buffer.append(received, used);
  }
  if (decoder.failed()) {
    refuse_uwsgi(connection, "malformed uwsgi packet: " + decoder.error(), decoder.raw(),
                 ++next_req_);
    return;
  }

  const uwsgi::Packet& packet = decoder.packet();
  int req = 0;
  if (const auto* given = uwsgi::find_var(packet.vars, kRequestNumberVar))
    req = number_request(parse_request_number(*given), next_req_);
  else
    req = number_request(std::nullopt, next_req_);
  if (packet.modifier1 != uwsgi::kWsgiRequest) {
    refuse_uwsgi(connection,
                 "modifier1 is " + std::to_string(packet.modifier1) +
                     ", expected 0 (a WSGI request); this server speaks nothing else",
                 decoder.raw(), req);
    return;
  }
  const std::string* method = uwsgi::find_var(packet.vars, "REQUEST_METHOD");
  if (!method || method->empty()) {
    refuse_uwsgi(connection,
                 "the packet has no REQUEST_METHOD var, so there is no request to serve "
                 "(nginx sends it with uwsgi_param REQUEST_METHOD $request_method)",
                 decoder.raw(), req);
    return;
  }
  const auto length = content_length_of(packet.vars);
  if (!length) {
    refuse_uwsgi(connection,
                 "CONTENT_LENGTH '" +
                     http::escape_bytes(*uwsgi::find_var(packet.vars, "CONTENT_LENGTH"), 40) +
                     "' is not a decimal number of bytes",
                 decoder.raw(), req);
    return;
  }
  if (*length > config_.limits.body) {
    // A well-formed request, only too big: it gets an answer, as uWSGI's limit-post gives.
    const std::string why = "CONTENT_LENGTH " + std::to_string(*length) +
                            " is over the body limit of " + std::to_string(config_.limits.body) +
                            " bytes";
    emit_(Phase::Error, req, trace::kOverview, "Server refuses a uwsgi request: " + why,
          {{"server.state", "Refusing a bad request"}},
          {{"status", 413},
           {"reason", why},
           {"raw", capped_for_trace(http::escape_bytes(decoder.raw()))}});
    send_server_error(connection, config_, emit_, req, 413, why);
    return;
  }
  // The body follows the packet unframed: exactly CONTENT_LENGTH bytes.
  while (buffer.size() < *length) {
    const auto result = connection.read_some(buffer, config_.read_timeout_ms);
    if (result == Connection::ReadResult::Data) continue;
    const std::string why =
        "the body is shorter than CONTENT_LENGTH: " + std::to_string(buffer.size()) + " of " +
        std::to_string(*length) + " bytes came before " +
        (result == Connection::ReadResult::Timeout
             ? "the proxy went silent for " + std::to_string(config_.read_timeout_ms) + " ms"
             : std::string("the connection closed"));
    refuse_uwsgi(connection, why, decoder.raw() + buffer, req);
    return;
  }
  buffer.resize(*length);  // anything after the body is not part of the request

  const std::string target = target_of(packet.vars);
  emit_(Phase::RequestReceived, req, trace::kOverview,
        "uwsgi packet arrives: " + *method + " " + target + " (" +
            std::to_string(packet.vars.size()) + " vars" +
            (*length > 0 ? ", " + std::to_string(*length) + "-byte body" : std::string()) + ")",
        {{"server.state", "Request received"}, {"response.sent", "No"}},
        {{"protocol", "uwsgi"},
         {"modifier1", packet.modifier1},
         {"modifier2", packet.modifier2},
         {"datasize", decoder.datasize()},
         {"vars", vars_json(packet.vars)},
         {"raw", capped_for_trace(http::escape_bytes(decoder.raw()))},
         {"body", capped_for_trace(buffer)},
         {"peer", peer}});

  UwsgiEnviron built =
      build_uwsgi_environ(packet.vars, std::move(buffer), traits_, connection.local(), req);
  Framing framing;
  framing.head_only = *method == "HEAD";
  framing.keep_alive = false;  // uWSGI serves one request per connection from nginx
  framing.may_chunk = false;
  framing.server_headers = false;
  std::string source = " from the uwsgi vars";
  if (!built.filled_in.empty()) {
    source += " (the server filled in";
    for (const auto& key : built.filled_in) source += " " + key;
    source += ")";
  }
  respond(connection, built.environ, req, framing, source);
  emit_(Phase::Idle, req, trace::kServerInternals,
        "Server closes the uwsgi connection (one request each) and waits for the next one");
}

}  // namespace reqtrace::server
