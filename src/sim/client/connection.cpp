#include "sim/client/connection.hpp"

#include <httplib.h>

#include <poll.h>
#include <sys/socket.h>

#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include "sim/client/request_numbers.hpp"

namespace reqtrace::client {
namespace {

using trace::Phase;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// ", a stylesheet of page / (req 1)": what the events of a subresource add to their message.
std::string subresource_note(const LinkedFrom& linked_from) {
  return ", a subresource (" + linked_from.kind + ") of page " + linked_from.page + " (req " +
         std::to_string(linked_from.page_req) + ")";
}

nlohmann::json linked_from_json(const LinkedFrom& linked_from) {
  return {
      {"kind", linked_from.kind}, {"page", linked_from.page}, {"page_req", linked_from.page_req}};
}

}  // namespace

std::string Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return value;
  return "";
}

std::string form_urlencode(const std::map<std::string, std::string>& form) {
  auto encode = [](const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out += static_cast<char>(c);
      } else if (c == ' ') {
        out += '+';
      } else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
    return out;
  };
  std::string out;
  for (const auto& [name, value] : form) {
    if (!out.empty()) out += '&';
    out += encode(name) + "=" + encode(value);
  }
  return out;
}

struct Connection::Client {
  httplib::Client http;
  Client(const std::string& host, int port) : http(host, port) {}
};

Connection::Connection(std::string host, int port, trace::Emitter emitter, InFlight& in_flight)
    : host_(std::move(host)), port_(port), emit_(std::move(emitter)), in_flight_(in_flight) {
  client_ = std::make_unique<Client>(host_, port_);
  client_->http.set_keep_alive(true);
  client_->http.set_connection_timeout(std::chrono::seconds(5));
  // A crowd's last browser waits for every request queued before it on a one-at-a-time server.
  client_->http.set_read_timeout(std::chrono::seconds(60));
  // httplib calls this on a new socket just before connect(), so "connect"
  // appears only when a connection is really opened, not when one is reused.
  client_->http.set_socket_options([this](int sock) {
    int one = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    emit_(Phase::Connect, current_req_, trace::kServerInternals,
          "Browser opens a TCP connection to " + host_ + ":" + std::to_string(port_) +
              connect_purpose_,
          {}, {{"host", host_}, {"port", port_}, {"lane", emit_.lane()}});
    socket_ = sock;
    if (announce_send_) std::exchange(announce_send_, nullptr)();
  });
}

Connection::~Connection() = default;

bool Connection::reusable() const {
  // httplib's own test before it reuses a socket: nothing to read, or bytes rather than the
  // end of the stream. A closed socket is replaced by a new one, which the hook announces.
  if (socket_ < 0 || !client_->http.is_socket_open()) return false;
  pollfd readable{socket_, POLLIN, 0};
  if (::poll(&readable, 1, 0) == 0) return true;
  char byte;
  return ::recv(socket_, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

Response Connection::send(const Request& request, int req, const LinkedFrom* linked_from) {
  current_req_ = req;
  connect_purpose_ = linked_from ? " for " + request.path + subresource_note(*linked_from) : "";
  httplib::Request out;
  out.method = request.method;
  out.path = request.path;
  for (const auto& [name, value] : request.headers)
    if (!iequals(name, kRequestNumberHeader)) out.headers.emplace(name, value);
  // The number ties the proxy's and the server's events for this request to the client's.
  out.headers.emplace(std::string(kRequestNumberHeader), std::to_string(req));
  if (linked_from)
    out.headers.emplace("Referer",
                        "http://" + host_ + ":" + std::to_string(port_) + linked_from->page);
  if (!request.form.empty()) {
    out.body = form_urlencode(request.form);
    out.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  } else {
    out.body = request.body;
  }
  nlohmann::json data = {{"method", request.method},
                         {"path", request.path},
                         {"request_number_header", std::to_string(req)}};
  if (!out.body.empty()) data["body"] = out.body;
  if (linked_from) data["subresource_of"] = linked_from_json(*linked_from);
  announce_send_ = [&] {
    in_flight_.change(+1, [&](trace::Vars vars) {
      emit_(Phase::Send, req, trace::kServerInternals,
            "Browser sends " + request.method + " " + request.path +
                (linked_from ? subresource_note(*linked_from) : ""),
            std::move(vars), data);
    });
  };
  // On a connection kept alive the request goes out at once; otherwise httplib connects
  // first and the hook above announces the send after the connect.
  if (reusable()) std::exchange(announce_send_, nullptr)();

  const auto started = std::chrono::steady_clock::now();
  httplib::Response in;
  httplib::Error error = httplib::Error::Success;
  const bool ok = client_->http.send(out, in, error);
  // Still held: httplib gave up before it had a socket, so nothing was sent or is in flight.
  const bool sent = !std::exchange(announce_send_, nullptr);
  Response response;
  response.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!ok) {
    response.error = httplib::to_string(error);
    nlohmann::json failure = {{"error", response.error}, {"latency_ms", response.latency_ms}};
    if (linked_from) failure["subresource_of"] = linked_from_json(*linked_from);
    in_flight_.change(sent ? -1 : 0, [&](trace::Vars vars) {
      emit_(Phase::Receive, req, trace::kOverview,
            "Browser gets no response" +
                (linked_from ? " for " + request.path + subresource_note(*linked_from) : "") +
                ": " + response.error,
            std::move(vars), failure);
    });
    return response;
  }
  response.ok = true;
  response.status = in.status;
  response.reason = in.reason;
  for (const auto& [name, value] : in.headers) response.headers.emplace_back(name, value);
  response.body = in.body;
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : response.headers) headers.push_back({name, value});
  nlohmann::json received = {{"status", in.status},
                             {"reason", in.reason},
                             {"headers", headers},
                             {"body", in.body.substr(0, 8192)},
                             {"latency_ms", response.latency_ms}};
  const std::string status = std::to_string(in.status) + " " + in.reason;
  std::string message;
  if (linked_from) {
    received["subresource_of"] = linked_from_json(*linked_from);
    message = "Browser receives " + request.path + subresource_note(*linked_from) + ": " + status;
  } else {
    message = "Client receives the response: " + status +
              (in.body.empty() ? std::string() : " " + trace::quoted_preview(in.body));
  }
  in_flight_.change(-1, [&](trace::Vars vars) {
    emit_(Phase::Receive, req, trace::kOverview, std::move(message), std::move(vars), received);
  });
  return response;
}

}  // namespace reqtrace::client
