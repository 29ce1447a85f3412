#include "sim/flask/request.hpp"

#include <cctype>
#include <charconv>

#include "sim/flask/form.hpp"

namespace reqtrace::flask {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "USER_AGENT" -> "User-Agent"
std::string header_name(std::string_view key) {
  std::string out;
  bool start = true;
  for (const char c : key) {
    if (c == '_') {
      out.push_back('-');
      start = true;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(static_cast<char>(start ? std::toupper(byte) : std::tolower(byte)));
    start = false;
  }
  return out;
}

// request.path: "/" + PATH_INFO.lstrip("/")
std::string request_path(std::string_view path_info) {
  std::string out(1, '/');
  const std::size_t first = path_info.find_first_not_of('/');
  if (first != std::string_view::npos) out.append(path_info.substr(first));
  return out;
}

}  // namespace

Request::Request(wsgi::Environ& env)
    : environ(env),
      method(env.get_or("REQUEST_METHOD", "GET")),
      path(request_path(env.get_or("PATH_INFO", ""))),
      query_string(env.get_or("QUERY_STRING", "")),
      args(url_decode(query_string)) {
  for (const auto& [key, value] : env.vars) {
    if (key.starts_with("HTTP_"))
      headers.emplace_back(header_name(std::string_view(key).substr(5)), value);
    else if (key == "CONTENT_TYPE" || key == "CONTENT_LENGTH")
      headers.emplace_back(header_name(key), value);
  }
}

std::optional<std::string> Request::get_header(std::string_view name) const {
  const std::string wanted = lower(name);
  for (const auto& [key, value] : headers)
    if (lower(key) == wanted) return value;
  return std::nullopt;
}

std::string Request::mimetype() const {
  const std::string type = environ.get_or("CONTENT_TYPE", "");
  const std::size_t end = type.find(';');
  std::string out = lower(type.substr(0, end));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

const MultiDict& Request::form() const {
  if (form_) return *form_;
  form_.emplace();
  // multipart/form-data is not parsed here: our scenarios send urlencoded forms.
  if (mimetype() != "application/x-www-form-urlencoded") return *form_;
  // Read CONTENT_LENGTH bytes and no more. Our wsgi.input holds exactly the body,
  // so a body whose length was not given (a chunked request) is read whole.
  std::size_t length = environ.input.remaining();
  if (const auto given = environ.get("CONTENT_LENGTH")) {
    std::size_t parsed = 0;
    const auto [end, error] = std::from_chars(given->data(), given->data() + given->size(), parsed);
    if (error == std::errc() && end == given->data() + given->size()) length = parsed;
  }
  *form_ = url_decode(environ.input.read(length));
  return *form_;
}

}  // namespace reqtrace::flask
