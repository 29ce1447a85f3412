#include "sim/proxy/client_connection.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "sim/http/http_date.hpp"
#include "sim/http/response_writer.hpp"
#include "sim/http/syntax.hpp"
#include "sim/proxy/error_page.hpp"
#include "sim/proxy/forwarded_headers.hpp"
#include "sim/proxy/nginx_variables.hpp"
#include "sim/proxy/response_pipe.hpp"
#include "sim/proxy/static_files.hpp"
#include "sim/proxy/upstream.hpp"
#include "sim/proxy/upstream_uwsgi.hpp"
#include "sim/server/request_handler.hpp"
#include "sim/server/request_number.hpp"
#include "sim/server/request_reader.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::proxy {
namespace {

using trace::Phase;

using server::capped_for_trace;

}  // namespace

ClientConnection::ClientConnection(const ProxyConfig& config, const StaticFiles* static_files,
                                   Upstream& upstream, server::Endpoint proxy_address,
                                   trace::Emitter emitter, std::atomic<int>& next_req,
                                   const std::atomic<bool>& stopping)
    : config_(config),
      static_files_(static_files),
      upstream_(upstream),
      proxy_address_(std::move(proxy_address)),
      emit_(std::move(emitter)),
      next_req_(next_req),
      stopping_(stopping) {}

// Reads the client's requests as the WSGI server does, with nginx's waits (keepalive_timeout
// between requests, client_header_timeout / client_body_timeout inside one) and the proxy's own
// words: no event per stage, "receives" once the request is whole, an error page for a bad one.
class ClientConnection::Reader : public server::RequestReader {
 public:
  explicit Reader(ClientConnection& proxy)
      : RequestReader(proxy.config_.limits,
                      server::ReadWaits{proxy.config_.keepalive_timeout_ms,
                                        proxy.config_.client_timeout_ms, 0, &proxy.stopping_},
                      Role{"Proxy", "proxy.state"}, proxy.emit_, proxy.next_req_),
        proxy_(proxy) {}

 private:
  // Numbered once whole, when the head is surely all there.
  int request_line(const http::Request&, std::optional<int>) override { return 0; }
  void headers(server::Connection&, const http::Request&, int) override {}

  // A client that asked "Expect: 100-continue" waits for a go-ahead before its body.
  void body_expected(server::Connection& connection, const http::Request& request) override {
    const auto expect = request.header("Expect");
    if (expect && http::iequals(*expect, "100-continue"))
      connection.write_all("HTTP/1.1 100 Continue\r\n\r\n", proxy_.config_.send_timeout_ms);
  }

  void received(server::Connection& connection, const http::Request& request, int req,
                const std::string& raw) override {
    emit_(Phase::Accept, req, trace::kOverview,
          "Proxy receives " + request.method + " " + request.target + " " + request.version(),
          {{"proxy.state", "Request received"}},
          {{"raw", capped_for_trace(raw)},
           {"peer", connection.peer().to_string()},
           {"method", request.method},
           {"target", request.target}});
  }

  // With nginx's error page.
  void answer_bad_request(server::Connection& connection, const http::ParseError& error,
                          int req) override {
    proxy_.send(connection, req, error.status, error.reason, {{"Content-Type", "text/html"}},
                error_page(error.status), false, false);
    connection.shutdown_write();
    connection.linger(proxy_.config_.lingering_time_ms, proxy_.config_.lingering_timeout_ms);
  }

  void ended(End why, int, const std::string& raw) override {
    if (raw.empty() || why == End::Stopping) {
      emit_(Phase::Idle, 0, trace::kServerInternals,
            why == End::Closed    ? "Client closes its connection to the proxy"
            : why == End::Timeout ? "Proxy closes a keep-alive connection left idle"
                                  : "Proxy closes a client connection");
      return;
    }
    const int req = ++next_req_;
    const std::string reason = why == End::Timeout
                                   ? "the client sent nothing for " +
                                         std::to_string(proxy_.config_.client_timeout_ms) +
                                         " ms in the middle of a request"
                                   : "the client closed the connection in the middle of a request";
    emit_(Phase::Error, req, trace::kOverview, "Proxy gives up on a request: " + reason,
          {{"proxy.state", "Idle"}}, {{"reason", reason}, {"raw", capped_for_trace(raw)}});
  }

  ClientConnection& proxy_;
};

void ClientConnection::serve(server::Connection& connection) {
  const std::string peer = connection.peer().to_string();
  emit_(Phase::Accept, 0, trace::kServerInternals, "Proxy accepts a connection from " + peer, {},
        {{"peer", peer}});
  Reader reader(*this);
  for (;;) {
    const server::ReadRequest read = reader.next(connection);
    if (!read.request) return;
    const http::Request& request = *read.request;
    const bool keep_open = static_files_ && static_files_->matches(request.path)
                               ? serve_static(connection, request, read.req)
                               : forward(connection, request, read.req);
    if (!keep_open) {
      emit_(Phase::Idle, 0, trace::kServerInternals, "Proxy closes the client's connection");
      return;
    }
  }
}

bool ClientConnection::serve_static(server::Connection& connection, const http::Request& request,
                                    int req) {
  StaticReply reply = static_files_->serve(request);
  const std::string status = status_text(reply.status, "");
  if (reply.status == 200 || reply.status == 304) {
    const std::string* type = find_header(reply.headers, "Content-Type");
    const std::string* length = find_header(reply.headers, "Content-Length");
    emit_(Phase::StaticHit, req, trace::kOverview,
          reply.status == 200 ? "Proxy serves " + request.path + " itself from static_root (" +
                                    (type ? *type : std::string()) + ", " +
                                    bytes_text(length ? std::stoul(*length) : 0) +
                                    "): the app never sees this request"
                              : "Proxy answers " + request.path +
                                    " with 304 Not Modified: the browser's copy is current",
          {{"proxy.state", "Serving a static file"}},
          {{"status", reply.status},
           {"file", reply.file},
           {"static_root", static_files_->root().string()},
           {"headers", nlohmann::json(reply.headers)},
           {"reason", reply.reason}});
  } else if (reply.status == 404) {
    emit_(Phase::StaticHit, req, trace::kOverview,
          "Proxy looks for " + request.path + " in static_root and finds nothing: " + status,
          {{"proxy.state", "Serving a static file"}},
          {{"status", reply.status},
           {"static_root", static_files_->root().string()},
           {"reason", reply.reason}});
  } else {
    emit_(Phase::Error, req, trace::kOverview,
          "Proxy refuses " + trace::quoted_preview(request.target) + ": " + status + " (" +
              reply.reason + ")",
          {{"proxy.state", "Refusing a request"}},
          {{"status", reply.status},
           {"reason", reply.reason},
           {"static_root", static_files_->root().string()}});
  }
  return send(connection, req, reply.status, "", std::move(reply.headers), reply.body,
              request.method == "HEAD", request.keep_alive());
}

bool ClientConnection::forward(server::Connection& connection, const http::Request& request,
                               int req) {
  const VariableSource source{request,
                              connection.peer(),
                              proxy_address_,
                              config_.server_name,
                              upstream_.proxy_host(),
                              config_.document_root};
  const UpstreamHeaders headers = upstream_request_headers(source, config_.set_headers, req);
  UpstreamRequest out;
  out.req = req;
  out.method = request.method;
  out.target = request.target;
  out.path = request.path;
  out.query = request.query;
  out.protocol = request.version();
  out.headers = headers.list();
  for (const auto& header : request.headers)
    if (!http::iequals(header.name, server::kRequestNumberHeader))
      out.client_headers.emplace_back(header.name, header.value);
  out.client_headers.emplace_back(std::string(server::kRequestNumberHeader), std::to_string(req));
  out.host = host_variable(source);
  out.server_name = config_.server_name;
  out.document_root = config_.document_root;
  out.body = request.body;
  out.body_sent = request.chunked || request.header("Content-Length").has_value();
  out.client = connection.peer();
  out.proxy = proxy_address_;

  nlohmann::json passed = nlohmann::json::array();
  for (const auto& header : headers.passed)
    passed.push_back({{"name", header.name}, {"value", header.value}, {"why", header.why}});
  nlohmann::json dropped = nlohmann::json::array();
  for (const auto& header : headers.dropped)
    dropped.push_back({{"name", header.name}, {"why", header.why}});
  nlohmann::json data = {{"upstream", upstream_.url()},
                         {"directive", upstream_.directive()},
                         {"body_bytes", out.body.size()}};
  std::string how;
  if (upstream_.protocol() == UpstreamProtocol::Http) {
    data["request_line"] = request.method + " " + request.target + " HTTP/1.0";
    data["headers"] = nlohmann::json(out.headers);
    data["passed"] = passed;
    data["dropped"] = dropped;
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& line : config_.set_headers)
      lines.push_back("proxy_set_header " + line.name + " " +
                      (line.value.empty() ? "\"\"" : line.value));
    data["proxy_set_header"] = lines;
    how = " over HTTP/1.0 with Host: " + upstream_.proxy_host() + " and Connection: close";
    if (!config_.set_headers.empty())
      how +=
          ", plus " + std::to_string(config_.set_headers.size()) +
          (config_.set_headers.size() == 1 ? " proxy_set_header line" : " proxy_set_header lines");
  } else {
    nlohmann::json vars = nlohmann::json::array();
    for (const auto& [name, value] : uwsgi_vars(out)) vars.push_back({name, value});
    data["vars"] = vars;
    how = " as a uwsgi packet: the vars of uwsgi_params, then each header as HTTP_*";
  }
  emit_(Phase::Forward, req, trace::kOverview,
        "Proxy forwards " + request.method + " " + request.target + " to the upstream " +
            upstream_.url() + " (" + upstream_.directive() + ")" + how,
        {{"proxy.state", "Waiting for the upstream"}}, data);

  const bool head_only = request.method == "HEAD";
  ResponsePipe pipe(config_, connection, emit_,
                    ClientSide{req, head_only, request.keep_alive(), request.version_minor >= 1},
                    upstream_.url());
  const UpstreamReply reply = upstream_.fetch(out, pipe);
  if (!reply.head_read || !pipe.refusal().empty()) {
    const int status = reply.head_read ? 502 : gateway_status(reply.outcome);
    const std::string why = reply.head_read ? pipe.refusal() : reply.error;
    emit_(Phase::Error, req, trace::kOverview,
          "Proxy answers " + status_text(status, "") + ": " + why,
          {{"proxy.state", "Answering with an error page"}},
          {{"status", status},
           {"reason", why},
           {"upstream", upstream_.url()},
           {"sent", capped_for_trace(reply.sent)}});
    return send(connection, req, status, "", {{"Content-Type", "text/html"}}, error_page(status),
                head_only, request.keep_alive());
  }
  return pipe.finish(reply);
}

bool ClientConnection::send(server::Connection& connection, int req, int status,
                            const std::string& reason, HeaderList headers, const std::string& body,
                            bool head_only, bool keep_alive) {
  HeaderList all = {{"Server", std::string(kProxySoftware)},
                    {"Date", http::format_http_date(std::time(nullptr))}};
  for (auto& header : headers) all.push_back(std::move(header));
  if (!bodiless_status(status) && !head_only && !find_header(all, "Content-Length"))
    all.emplace_back("Content-Length", std::to_string(body.size()));
  all.emplace_back("Connection", keep_alive ? "keep-alive" : "close");
  std::string head;
  try {
    head = http::serialize_head("HTTP/1.1", status_text(status, reason), all);
  } catch (const std::invalid_argument& e) {
    // An upstream header with a CR, LF or NUL in it would split the response: refuse it.
    const std::string why = std::string("the upstream's response cannot be passed on: ") + e.what();
    emit_(Phase::Error, req, trace::kOverview, "Proxy answers 502 Bad Gateway: " + why,
          {{"proxy.state", "Answering with an error page"}}, {{"status", 502}, {"reason", why}});
    return send(connection, req, 502, "", {{"Content-Type", "text/html"}}, error_page(502),
                head_only, keep_alive);
  }
  const std::string_view payload =
      bodiless_status(status) || head_only ? std::string_view() : std::string_view(body);
  // Corked until the trace says "sent", so the client cannot report the end first.
  connection.cork(true);
  bool written = connection.write_all(head, config_.send_timeout_ms) &&
                 connection.write_all(payload, config_.send_timeout_ms);
  if (written) {
    emit_(Phase::Send, req, trace::kOverview,
          "Proxy sends " + status_text(status, reason) +
              " to the client: " + bytes_text(payload.size()) + " of body",
          {{"proxy.state", "Response sent to the client"}},
          {{"status", status},
           {"head", head},
           {"raw", capped_for_trace(head, payload)},
           {"body_bytes", payload.size()}});
  } else {
    const std::string why = "the client stopped reading for " +
                            std::to_string(config_.send_timeout_ms) +
                            " ms or went away; the response could not be sent";
    emit_(Phase::Error, req, trace::kOverview, "Proxy gives up sending: " + why,
          {{"proxy.state", "Idle"}}, {{"reason", why}});
  }
  if (auto* recorder = emit_.recorder()) recorder->flush();
  connection.cork(false);
  if (!written) return false;
  if (!keep_alive) connection.shutdown_write();
  return keep_alive;
}

}  // namespace reqtrace::proxy
