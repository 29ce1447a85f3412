#include "sim/cgi/cgi_server.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "sim/cgi/cgi_response.hpp"
#include "sim/cgi/cgi_variables.hpp"
#include "sim/http/http_date.hpp"
#include "sim/http/response_writer.hpp"
#include "sim/http/syntax.hpp"
#include "sim/server/child_events.hpp"
#include "sim/server/request_handler.hpp"
#include "sim/server/request_reader.hpp"
#include "sim/wsgi/environ_builder.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::server {
namespace {

using trace::Phase;

// How long a program may stay silent (no output, no event) before it is killed: Apache's
// Timeout, whose default is the same minute.
constexpr int kProgramQuietTimeoutMs = 60000;

// Headers that describe the program-to-server pipe, not the response: the server sets its own.
bool is_framing(std::string_view name) {
  for (const char* framing : {"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive"})
    if (http::iequals(name, framing)) return true;
  return false;
}

}  // namespace

CgiServer::CgiServer(ServerConfig config, int workers, CgiProgram program, trace::Emitter emitter)
    : WsgiServer(std::move(config), std::move(emitter)),
      workers_(std::max(1, workers)),
      program_(std::move(program)) {
  // It writes its own HTTP/1.1 responses; its refusals say the same version.
  config_.wire.version = WirePolicy::Version::Http11;
}

CgiServer::~CgiServer() {
  stop();
}

bool CgiServer::can_serve(std::string& error) const {
  if (config_.uwsgi_port < 0) return true;
  error =
      "the cgi model speaks HTTP only: a CGI server is a web server of its own, not an "
      "upstream for uwsgi_pass";
  return false;
}

WsgiServer::Announcement CgiServer::announcement() const {
  // Says what it is, not what it will do: the cgi-ancestor lesson asks that before it happens.
  return {"Server listens on http://" + address().to_string() + "/ as a CGI server (RFC 3875)",
          {{"model", "cgi"}, {"program", program_.path}, {"threads", workers_}}};
}

void CgiServer::serve_forever() {
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(workers_));
  for (int k = 0; k < workers_; ++k)
    pool.emplace_back([this] {
      while (auto connection = socket_->accept()) serve(*connection);
    });
  for (auto& thread : pool) thread.join();
}

void CgiServer::serve(Connection& connection) {
  const std::string peer = connection.peer().to_string();
  emit_(Phase::Accept, 0, trace::kServerInternals, "Server accepts a connection from " + peer, {},
        {{"peer", peer}, {"protocol", "http"}});
  // One request per connection: the program answers once and is gone.
  ReadRequest read = RequestReader(config_, emit_, *next_req_).next(connection);
  if (!read.request) return;
  const http::Request& request = *read.request;
  const int req = read.req;
  const std::string software = wsgi::ServerTraits{}.software;

  const auto variables = cgi_variables(request, connection.peer(), address(), software);
  emit_(Phase::EnvironBuilt, req, trace::kServerInternals,
        "Server sets " + std::to_string(variables.size()) +
            " CGI meta-variables (RFC 3875) for the program's environment; the body goes to its "
            "stdin",
        {}, {{"environ", variables}, {"stdin_bytes", request.body.size()}});
  std::vector<std::string> environment;
  environment.reserve(variables.size() + 1);
  for (const auto& [name, value] : variables)
    environment.push_back(std::string(name).append("=").append(value));
  environment.push_back(std::string(kRequestVariable) + "=" + std::to_string(req));

  const ProgramRun run = run_cgi_program(program_, std::move(environment), request.body, emit_, req,
                                         kProgramQuietTimeoutMs);
  auto fail = [&](int status, const std::string& why) {
    emit_(Phase::Error, req, trace::kOverview,
          "Server answers " + std::to_string(status) + ": " + why,
          {{"server.state", "Refusing a bad request"}}, {{"status", status}, {"reason", why}});
    send_server_error(connection, config_, emit_, req, status, why);
  };
  if (run.pid < 0) return fail(500, "the CGI program could not be started: " + run.error);
  if (run.timed_out)
    return fail(504, "the CGI program was silent for " +
                         std::to_string(kProgramQuietTimeoutMs / 1000) + " s and was killed");
  CgiResponse response = parse_cgi_response(run.output);
  if (!response.ok)
    return fail(response.error_status,
                response.error + " (the program " + describe_exit(run.status) + ")");

  // The program's response becomes an HTTP one: its Status is the status line, its headers
  // follow, and the server adds what belongs to the connection.
  std::vector<std::pair<std::string, std::string>> headers;
  for (auto& header : response.headers)
    if (!is_framing(header.first)) headers.push_back(std::move(header));
  headers.emplace_back("Content-Length", std::to_string(response.body.size()));
  headers.emplace_back("Server", software);
  headers.emplace_back("Date", http::format_http_date(std::time(nullptr)));
  headers.emplace_back("Connection", "close");
  std::string head;
  try {
    head = http::serialize_head("HTTP/1.1", response.status, headers);
  } catch (const std::invalid_argument& e) {
    return fail(502, std::string("the program's headers cannot be sent: ") + e.what());
  }
  emit_(Phase::Sending, req, trace::kServerInternals,
        "Server turns the program's output into an HTTP response: Status: " + response.status +
            " becomes the status line",
        {}, {{"head", head}, {"headers", nlohmann::json(headers)}});
  const bool head_only = request.method == "HEAD";
  const std::string bytes = head + (head_only ? std::string() : response.body);
  connection.cork(true);
  if (!connection.write_all(bytes, config_.write_timeout_ms)) {
    emit_(Phase::Error, req, trace::kOverview,
          "Server aborts the response: the client stopped reading",
          {{"server.state", "Idle, waiting for next request"}},
          {{"reason", "the client stopped reading"}});
    if (auto* recorder = emit_.recorder()) recorder->flush();
    return;
  }
  emit_(Phase::Sent, req, trace::kOverview,
        "Server sends the response: " + response.status + ", " +
            std::to_string(head_only ? 0 : response.body.size()) + "-byte body",
        {{"server.state", "Idle, waiting for next request"}, {"response.sent", "Yes"}},
        {{"raw", capped_for_trace(bytes)}, {"body_bytes", response.body.size()}});
  // The trace has the request's events before the client can see the response.
  if (auto* recorder = emit_.recorder()) recorder->flush();
  connection.cork(false);
  connection.shutdown_write();
}

}  // namespace reqtrace::server
