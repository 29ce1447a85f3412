#include "sim/client/browser.hpp"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace reqtrace::client {
namespace {

using trace::Phase;

}  // namespace

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

struct Browser::Impl {
  httplib::Client client;
  int current_req = 0;
  Impl(const std::string& host, int port) : client(host, port) {}
};

Browser::Browser(std::string host, int port, trace::Emitter emitter)
    : host_(std::move(host)), port_(port), emit_(std::move(emitter)) {
  impl_ = std::make_unique<Impl>(host_, port_);
  impl_->client.set_keep_alive(true);
  impl_->client.set_connection_timeout(std::chrono::seconds(5));
  impl_->client.set_read_timeout(std::chrono::seconds(30));
  // httplib calls this on a new socket just before connect(), so "connect"
  // appears only when a connection is really opened, not when one is reused.
  impl_->client.set_socket_options([this](int sock) {
    int one = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    emit_(Phase::Connect, impl_->current_req, trace::kServerInternals,
          "Browser opens a TCP connection to " + host_ + ":" + std::to_string(port_), {},
          {{"host", host_}, {"port", port_}});
  });
}

Browser::~Browser() = default;

Response Browser::send(const scenario::Request& request, int req) {
  impl_->current_req = req;
  httplib::Request out;
  out.method = request.method;
  out.path = request.path;
  for (const auto& [name, value] : request.headers) out.headers.emplace(name, value);
  if (!request.form.empty()) {
    out.body = form_urlencode(request.form);
    out.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  } else {
    out.body = request.body;
  }
  nlohmann::json data = {{"method", request.method}, {"path", request.path}};
  if (!out.body.empty()) data["body"] = out.body;
  emit_(Phase::Send, req, trace::kServerInternals,
        "Browser sends " + request.method + " " + request.path, {}, data);

  const auto started = std::chrono::steady_clock::now();
  httplib::Response in;
  httplib::Error error = httplib::Error::Success;
  const bool ok = impl_->client.send(out, in, error);
  Response response;
  response.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!ok) {
    response.error = httplib::to_string(error);
    emit_(Phase::Receive, req, trace::kOverview, "Browser gets no response: " + response.error, {},
          {{"error", response.error}});
    return response;
  }
  response.ok = true;
  response.status = in.status;
  response.reason = in.reason;
  for (const auto& [name, value] : in.headers) response.headers.emplace_back(name, value);
  response.body = in.body;
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : response.headers) headers.push_back({name, value});
  emit_(Phase::Receive, req, trace::kOverview,
        "Client receives the response: " + std::to_string(in.status) + " " + in.reason +
            (in.body.empty() ? std::string() : " " + trace::quoted_preview(in.body)),
        {},
        {{"status", in.status},
         {"reason", in.reason},
         {"headers", headers},
         {"body", in.body.substr(0, 8192)},
         {"latency_ms", response.latency_ms}});
  return response;
}

}  // namespace reqtrace::client
