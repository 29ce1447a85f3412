// Werkzeug's HTTP exceptions: an error the router or a view raises that is also a response.
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "sim/flask/response.hpp"

namespace reqtrace::flask {

// Raised, it unwinds to Flask's handle_user_exception; there, get_response()
// turns it into the small HTML page Werkzeug sends.
class HTTPException : public std::exception {
 public:
  HTTPException(int code, std::string name, std::string description);

  int code() const { return code_; }
  const std::string& name() const { return name_; }  // "Not Found"
  const std::string& description() const { return description_; }
  // The Python class name, "NotFound": what a traceback or the trace shows.
  virtual std::string class_name() const;

  // "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>..."
  virtual std::string get_body() const;
  // Content-Type, then whatever the exception adds (Allow for 405).
  virtual wsgi::Headers get_headers() const;
  virtual Response get_response() const;

  // "404 Not Found: The requested URL was not found on the server. ..."
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  int code_;
  std::string name_;
  std::string description_;
  std::string what_;
};

class BadRequest : public HTTPException {
 public:
  BadRequest();
  std::string class_name() const override { return "BadRequest"; }
};

// request.form["name"] with no such field: a KeyError that is also a 400.
class BadRequestKeyError : public BadRequest {
 public:
  explicit BadRequestKeyError(std::string key) : key_(std::move(key)) {}
  const std::string& key() const { return key_; }
  std::string class_name() const override { return "BadRequestKeyError"; }

 private:
  std::string key_;
};

class NotFound : public HTTPException {
 public:
  NotFound();
  std::string class_name() const override { return "NotFound"; }
};

// Some rule matches the path, but none accepts the method: the Allow header lists those that do.
class MethodNotAllowed : public HTTPException {
 public:
  explicit MethodNotAllowed(std::vector<std::string> valid_methods);
  // Sorted, so the Allow header reads the same on every run.
  const std::vector<std::string>& valid_methods() const { return valid_methods_; }
  std::string class_name() const override { return "MethodNotAllowed"; }
  wsgi::Headers get_headers() const override;

 private:
  std::vector<std::string> valid_methods_;
};

class InternalServerError : public HTTPException {
 public:
  InternalServerError();
  std::string class_name() const override { return "InternalServerError"; }
};

// The router's "ask again at this URL": a trailing slash the rule wants, or merged slashes.
// A 308, so the browser repeats the same method and body at new_url.
class RequestRedirect : public HTTPException {
 public:
  explicit RequestRedirect(std::string new_url);
  const std::string& new_url() const { return new_url_; }
  std::string class_name() const override { return "RequestRedirect"; }
  Response get_response() const override;

 private:
  std::string new_url_;
};

// flask.abort(code): raise the HTTP exception for that code.
[[noreturn]] void abort(int code);

}  // namespace reqtrace::flask
