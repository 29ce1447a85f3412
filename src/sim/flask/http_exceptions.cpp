#include "sim/flask/http_exceptions.hpp"

#include <algorithm>
#include <utility>

namespace reqtrace::flask {

HTTPException::HTTPException(int code, std::string name, std::string description)
    : code_(code), name_(std::move(name)), description_(std::move(description)) {
  what_ = std::to_string(code_) + " " + name_ + ": " + description_;
}

std::string HTTPException::class_name() const {
  return "HTTPException";
}

std::string HTTPException::get_body() const {
  const std::string title = std::to_string(code_) + " " + name_;
  return "<!doctype html>\n<html lang=en>\n<title>" + title + "</title>\n<h1>" + name_ +
         "</h1>\n<p>" + description_ + "</p>\n";
}

wsgi::Headers HTTPException::get_headers() const {
  return {{"Content-Type", std::string(kDefaultContentType)}};
}

Response HTTPException::get_response() const {
  // Werkzeug builds Response(body, code, headers): the exception's headers come
  // first and set_data appends Content-Length after them.
  Response response(get_body(), code_);
  response.headers = get_headers();
  response.headers.emplace_back("Content-Length", std::to_string(response.get_data().size()));
  return response;
}

BadRequest::BadRequest()
    : HTTPException(400, "Bad Request",
                    "The browser (or proxy) sent a request that this server could not "
                    "understand.") {}

NotFound::NotFound()
    : HTTPException(404, "Not Found",
                    "The requested URL was not found on the server. If you entered the URL "
                    "manually please check your spelling and try again.") {}

MethodNotAllowed::MethodNotAllowed(std::vector<std::string> valid_methods)
    : HTTPException(405, "Method Not Allowed", "The method is not allowed for the requested URL."),
      valid_methods_(std::move(valid_methods)) {
  std::sort(valid_methods_.begin(), valid_methods_.end());
  valid_methods_.erase(std::unique(valid_methods_.begin(), valid_methods_.end()),
                       valid_methods_.end());
}

wsgi::Headers MethodNotAllowed::get_headers() const {
  wsgi::Headers headers = HTTPException::get_headers();
  if (!valid_methods_.empty()) {
    std::string allow;
    for (const auto& method : valid_methods_) allow += (allow.empty() ? "" : ", ") + method;
    headers.emplace_back("Allow", std::move(allow));
  }
  return headers;
}

InternalServerError::InternalServerError()
    : HTTPException(500, "Internal Server Error",
                    "The server encountered an internal error and was unable to complete your "
                    "request. Either the server is overloaded or there is an error in the "
                    "application.") {}

RequestRedirect::RequestRedirect(std::string new_url)
    : HTTPException(308, "Permanent Redirect", ""), new_url_(std::move(new_url)) {}

Response RequestRedirect::get_response() const {
  return redirect(new_url_, code());
}

void abort(int code) {
  switch (code) {
    case 400:
      throw BadRequest();
    case 404:
      throw NotFound();
    case 405:
      throw MethodNotAllowed({});
    case 500:
      throw InternalServerError();
    default:
      throw HTTPException(code, std::string(status_phrase(code)), "");
  }
}

}  // namespace reqtrace::flask
