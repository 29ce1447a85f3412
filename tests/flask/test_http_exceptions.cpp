// Werkzeug's HTTP exceptions and redirect(): the exact pages, headers and status lines.
#include <gtest/gtest.h>

#include "sim/flask/http_exceptions.hpp"

namespace reqtrace::flask {
namespace {

const wsgi::Headers kHtml = {{"Content-Type", "text/html; charset=utf-8"}};

TEST(HTTPException, NotFoundPage) {
  const Response response = NotFound().get_response();
  const std::string body =
      "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
      "<p>The requested URL was not found on the server. If you entered the URL manually please "
      "check your spelling and try again.</p>\n";
  EXPECT_EQ(response.get_data(), body);
  EXPECT_EQ(response.status(), "404 NOT FOUND");
  EXPECT_EQ(response.headers, (wsgi::Headers{{"Content-Type", "text/html; charset=utf-8"},
                                             {"Content-Length", "207"}}));
}

TEST(HTTPException, MethodNotAllowedListsTheValidMethodsSorted) {
  const Response response = MethodNotAllowed({"POST", "OPTIONS"}).get_response();
  EXPECT_EQ(response.get_data(),
            "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n"
            "<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested "
            "URL.</p>\n");
  EXPECT_EQ(response.status(), "405 METHOD NOT ALLOWED");
  // Werkzeug's order: the exception's own headers, then Content-Length from set_data.
  EXPECT_EQ(response.headers, (wsgi::Headers{{"Content-Type", "text/html; charset=utf-8"},
                                             {"Allow", "OPTIONS, POST"},
                                             {"Content-Length", "153"}}));
}

TEST(HTTPException, BadRequestAndInternalServerErrorPages) {
  const Response bad = BadRequestKeyError("name").get_response();
  EXPECT_EQ(bad.get_data(),
            "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad "
            "Request</h1>\n<p>The browser (or proxy) sent a request that this server could not "
            "understand.</p>\n");
  EXPECT_EQ(bad.get_header("Content-Length"), "167");
  const Response error = InternalServerError().get_response();
  EXPECT_EQ(error.get_data(),
            "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
            "<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was "
            "unable to complete your request. Either the server is overloaded or there is an "
            "error in the application.</p>\n");
  EXPECT_EQ(error.get_header("Content-Length"), "265");
  EXPECT_EQ(error.status(), "500 INTERNAL SERVER ERROR");
}

TEST(HTTPException, WhatReadsLikePythonsStr) {
  EXPECT_STREQ(NotFound().what(),
               "404 Not Found: The requested URL was not found on the server. If you entered the "
               "URL manually please check your spelling and try again.");
  EXPECT_EQ(BadRequestKeyError("x").class_name(), "BadRequestKeyError");
}

TEST(Redirect, PageEscapesTheUrlAndLocationKeepsIt) {
  const Response response = RequestRedirect("http://localhost/docs/?a=1&b=2").get_response();
  EXPECT_EQ(response.status(), "308 PERMANENT REDIRECT");
  EXPECT_EQ(response.get_data(),
            "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
            "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target "
            "URL: <a href=\"http://localhost/docs/?a=1&amp;b=2\">http://localhost/docs/?a=1&amp;"
            "b=2</a>. If not, click the link.\n");
  EXPECT_EQ(response.headers, (wsgi::Headers{{"Content-Type", "text/html; charset=utf-8"},
                                             {"Content-Length", "255"},
                                             {"Location", "http://localhost/docs/?a=1&b=2"}}));
}

TEST(Abort, RaisesTheExceptionForTheCode) {
  EXPECT_THROW(abort(404), NotFound);
  EXPECT_THROW(abort(400), BadRequest);
  try {
    abort(403);
  } catch (const HTTPException& e) {
    EXPECT_EQ(e.code(), 403);
    EXPECT_EQ(e.name(), "Forbidden");
  }
}

TEST(Response, SetHeaderReplacesInPlaceAndHeadersCompareWithoutCase) {
  Response response("x");
  response.set_header("content-type", "text/plain");
  EXPECT_EQ(response.headers,
            (wsgi::Headers{{"Content-Type", "text/plain"}, {"Content-Length", "1"}}));
  EXPECT_EQ(response.get_header("CONTENT-LENGTH"), "1");
  EXPECT_EQ(kHtml.front().second, std::string(kDefaultContentType));
}

}  // namespace
}  // namespace reqtrace::flask
