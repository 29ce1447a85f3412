// Werkzeug's Response: a status, headers and a body, and the WSGI app that sends them.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/wsgi/application.hpp"

namespace reqtrace::flask {

// A Python generator: each call yields the next chunk; nothing means StopIteration.
using Generator = std::function<std::optional<std::string>()>;

// Response.default_mimetype "text/html" with the charset Werkzeug appends.
inline constexpr std::string_view kDefaultContentType = "text/html; charset=utf-8";

// HTTP_STATUS_CODES[code]: "Not Found"; "Unknown" for a code without a name.
std::string_view status_phrase(int code);

// html.escape(text, quote=True): & < > " ' become entities.
std::string html_escape(std::string_view text);

class Response {
 public:
  // Response(): no body yet, as make_default_options_response starts from.
  Response();
  // Response(body, status): a complete body. Content-Type then Content-Length are
  // set at once, as Werkzeug's set_data does for a str.
  explicit Response(std::string body, int status = 200,
                    std::string content_type = std::string(kDefaultContentType));
  // Response(generator): a streamed body. No Content-Length: nobody knows it yet.
  explicit Response(Generator generator, int status = 200,
                    std::string content_type = std::string(kDefaultContentType));

  int status_code = 200;
  wsgi::Headers headers;

  // The status line start_response gets: Werkzeug upper-cases the phrase, "404 NOT FOUND".
  std::string status() const;
  bool is_streamed() const { return static_cast<bool>(generator_); }
  // The complete body; empty for a streamed one.
  const std::string& get_data() const { return body_; }

  // headers.get(name), case-insensitive.
  std::optional<std::string> get_header(std::string_view name) const;
  // headers[name] = value: replaces the first header of that name in place, or appends.
  void set_header(const std::string& name, std::string value);

  // Run when the server calls close() on the iterable this response returns.
  void call_on_close(std::function<void()> callback);

  // get_wsgi_headers: the headers as sent. A complete body without a
  // Content-Length gets one now (so the empty OPTIONS response says 0).
  wsgi::Headers get_wsgi_headers() const;

  // Response.__call__(environ, start_response): a response is a WSGI app too. It
  // calls start_response and returns the body; for HEAD, and for statuses that
  // carry no body, the body is empty but the headers are those of the full response.
  std::unique_ptr<wsgi::ResponseIterable> operator()(wsgi::Environ& environ,
                                                     wsgi::StartResponse& start_response) const;

 private:
  std::string body_;
  Generator generator_;
  std::vector<std::function<void()>> on_close_;
};

// werkzeug.utils.redirect(location, code): a small HTML page and a Location header.
Response redirect(const std::string& location, int code = 302);

}  // namespace reqtrace::flask
