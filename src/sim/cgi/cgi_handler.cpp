#include "sim/cgi/cgi_handler.hpp"

#include <nlohmann/json.hpp>
#include <optional>

#include "sim/http/syntax.hpp"
#include "sim/wsgi/start_response.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::wsgi {
namespace {

using trace::Phase;

// wsgiref's BaseHandler.error_status and error_body.
constexpr const char* kErrorStatus = "500 Internal Server Error";
constexpr const char* kErrorBody = "A server error occurred.  Please contact the administrator.";

std::string cgi_head(const std::string& status, const Headers& headers) {
  // Not an HTTP status line: a CGI program says "Status:" and the server writes the line.
  std::string head = "Status: " + status + "\r\n";
  for (const auto& [name, value] : headers)
    head.append(name).append(": ").append(value).append("\r\n");
  return head + "\r\n";
}

bool has_header(const Headers& headers, std::string_view name) {
  for (const auto& header : headers)
    if (http::iequals(header.first, name)) return true;
  return false;
}

}  // namespace

Environ environ_from_cgi(const std::map<std::string, std::string>& variables, std::string body,
                         int req) {
  Environ environ;
  for (const auto& [name, value] : variables)
    if (name.rfind("REQTRACE_", 0) != 0) environ.vars[name] = value;
  const std::string https = environ.get_or("HTTPS", "");
  environ.vars["wsgi.url_scheme"] =
      https == "on" || https == "yes" || https == "1" ? "https" : "http";
  if (req != 0) environ.vars["reqtrace.req"] = std::to_string(req);
  environ.input = InputStream(std::move(body));
  environ.multithread = false;
  environ.multiprocess = true;
  environ.run_once = true;
  return environ;
}

bool run_cgi_app(Application& app, Environ& environ, const trace::Emitter& voice, int req,
                 const CgiOutput& out) {
  const nlohmann::json environ_json = environ.to_json();
  voice(Phase::EnvironBuilt, req, trace::kServerInternals,
        "CGIHandler builds environ from the program's environment and stdin: " +
            std::to_string(environ_json.size()) + " keys",
        {}, {{"environ", environ_json}});
  voice(Phase::CallingApp, req, trace::kOverview,
        "CGIHandler calls the app: app(environ, start_response)",
        {{"server.state", "Processing request"}}, {{"environ", environ_json}});

  ServerStartResponse start_response(voice, req);
  std::unique_ptr<ResponseIterable> body;
  bool head_written = false;
  std::string failure;
  auto write_head = [&](std::optional<std::size_t> length) {
    if (!start_response.called())
      throw StartResponseError("the app returned a body without calling start_response()");
    Headers headers = start_response.headers();
    // As wsgiref's finish_content: a body of one piece has a length the server can trust.
    if (length && !has_header(headers, "Content-Length"))
      headers.emplace_back("Content-Length", std::to_string(*length));
    const std::string head = cgi_head(start_response.status(), headers);
    voice(Phase::Sending, req, trace::kServerInternals,
          "The program writes Status: " + start_response.status() +
              ", the headers and the body to stdout, for the server to turn into HTTP",
          {}, {{"head", head}});
    start_response.mark_headers_sent();
    head_written = true;
    if (!out(head)) throw std::runtime_error("stdout is closed");
  };
  try {
    body = app(environ, start_response);
    const auto known_body = body->body_if_known();
    voice(Phase::ResponseReady, req, trace::kOverview,
          known_body
              ? "App returns " + trace::quoted_preview(*known_body)
              : std::string("App returns an iterable; the body comes as the handler pulls it"),
          {{"server.state", "Waiting to send response"}, {"app.state", "Response ready"}},
          {{"status", start_response.status()}, {"streamed", !known_body.has_value()}});
    while (std::optional<std::string> piece = body->next()) {
      if (piece->empty()) continue;  // PEP 3333: an empty chunk is not the end
      if (!head_written) write_head(body->known_length());
      if (!out(*piece)) throw std::runtime_error("stdout is closed");
    }
    if (!head_written) write_head(body->known_length());
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (body) body->close();  // PEP 3333: always, even when writing failed
  if (failure.empty()) return true;
  voice(Phase::Error, req, trace::kOverview,
        "CGIHandler catches the failure: " + failure +
            (head_written ? "; the response is cut short" : "; it writes a 500 instead"),
        {}, {{"reason", failure}});
  if (!head_written) {
    const std::string error_body = kErrorBody;
    out(cgi_head(kErrorStatus, {{"Content-Type", "text/plain"},
                                {"Content-Length", std::to_string(error_body.size())}}) +
        error_body);
  }
  return false;
}

}  // namespace reqtrace::wsgi
