#include "sim/flask/response.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace reqtrace::flask {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// Statuses whose responses never carry a body (RFC 9110), so Werkzeug sends none.
bool status_has_no_body(int code) {
  return (code >= 100 && code < 200) || code == 204 || code == 304;
}

// What Response.__call__ returns: the body, chunk by chunk, and the close()
// that runs the callbacks registered with call_on_close (Werkzeug's ClosingIterator).
class ClosingIterator : public wsgi::ResponseIterable {
 public:
  ClosingIterator(std::string body, Generator generator,
                  std::vector<std::function<void()>> on_close)
      : body_(std::move(body)), generator_(std::move(generator)), on_close_(std::move(on_close)) {}
  ~ClosingIterator() override = default;

  std::optional<std::string> next() override {
    if (generator_) return generator_();
    if (sent_ || body_.empty()) return std::nullopt;
    sent_ = true;
    return body_;
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    for (const auto& callback : on_close_) callback();
  }

  // A str body is a one-item list in Werkzeug: the server may look at it.
  std::optional<std::string> body_if_known() const override {
    if (generator_) return std::nullopt;
    return body_;
  }

  // Only for a body of exactly one chunk, as PEP 3333 allows; never for HEAD's empty one.
  std::optional<std::size_t> known_length() const override {
    if (generator_ || body_.empty()) return std::nullopt;
    return body_.size();
  }

 private:
  std::string body_;
  Generator generator_;
  std::vector<std::function<void()>> on_close_;
  bool sent_ = false;
  bool closed_ = false;
};

}  // namespace

std::string_view status_phrase(int code) {
  static constexpr std::array<std::pair<int, std::string_view>, 30> kPhrases = {{
      {100, "Continue"},
      {101, "Switching Protocols"},
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {204, "No Content"},
      {206, "Partial Content"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {304, "Not Modified"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {410, "Gone"},
      {413, "Request Entity Too Large"},
      {415, "Unsupported Media Type"},
      {418, "I'm a teapot"},
      {429, "Too Many Requests"},
      {500, "Internal Server Error"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
  }};
  for (const auto& [known, phrase] : kPhrases)
    if (known == code) return phrase;
  return "Unknown";
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#x27;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

Response::Response() {
  headers.emplace_back("Content-Type", kDefaultContentType);
}

Response::Response(std::string body, int status, std::string content_type)
    : status_code(status), body_(std::move(body)) {
  headers.emplace_back("Content-Type", std::move(content_type));
  headers.emplace_back("Content-Length", std::to_string(body_.size()));
}

Response::Response(Generator generator, int status, std::string content_type)
    : status_code(status), generator_(std::move(generator)) {
  headers.emplace_back("Content-Type", std::move(content_type));
}

std::string Response::status() const {
  std::string phrase(status_phrase(status_code));
  for (char& c : phrase) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return std::to_string(status_code) + " " + phrase;
}

std::optional<std::string> Response::get_header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (same_name(key, name)) return value;
  return std::nullopt;
}

void Response::set_header(const std::string& name, std::string value) {
  auto first = std::find_if(headers.begin(), headers.end(),
                            [&](const auto& header) { return same_name(header.first, name); });
  if (first == headers.end()) {
    headers.emplace_back(name, std::move(value));
    return;
  }
  first->second = std::move(value);
  headers.erase(std::remove_if(std::next(first), headers.end(),
                               [&](const auto& header) { return same_name(header.first, name); }),
                headers.end());
}

void Response::call_on_close(std::function<void()> callback) {
  on_close_.push_back(std::move(callback));
}

wsgi::Headers Response::get_wsgi_headers() const {
  wsgi::Headers out = headers;
  if (!generator_ && !get_header("Content-Length") && !status_has_no_body(status_code))
    out.emplace_back("Content-Length", std::to_string(body_.size()));
  return out;
}

std::unique_ptr<wsgi::ResponseIterable> Response::operator()(
    wsgi::Environ& env, wsgi::StartResponse& start_response) const {
  start_response(status(), get_wsgi_headers());
  // get_app_iter: HEAD gets the headers of the full response and no body.
  if (env.get_or("REQUEST_METHOD", "GET") == "HEAD" || status_has_no_body(status_code))
    return std::make_unique<ClosingIterator>(std::string(), Generator(), on_close_);
  return std::make_unique<ClosingIterator>(body_, generator_, on_close_);
}

Response redirect(const std::string& location, int code) {
  const std::string escaped = html_escape(location);
  Response response(
      "<!doctype html>\n"
      "<html lang=en>\n"
      "<title>Redirecting...</title>\n"
      "<h1>Redirecting...</h1>\n"
      "<p>You should be redirected automatically to the target URL: <a href=\"" +
          escaped + "\">" + escaped + "</a>. If not, click the link.\n",
      code);
  response.set_header("Location", location);
  return response;
}

}  // namespace reqtrace::flask
