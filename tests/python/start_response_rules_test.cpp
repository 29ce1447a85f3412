// A real Python app that breaks PEP 3333's contract with the server's start_response: the error
// the app meets names the place in the app's file and the rule it broke, and says what was
// expected.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "flask/wsgi_harness.hpp"
#include "sim/python/python_app.hpp"
#include "sim/wsgi/start_response.hpp"
#include "support/temp_path.hpp"

namespace {

using reqtrace::flask::testing::make_environ;
using reqtrace::python::PythonApp;
using reqtrace::python::PythonError;
using reqtrace::python::WsgiTarget;

// The error `source`'s app raises through the server's own start_response, or "" if none.
std::string error_of(const std::string& stem, const std::string& source) {
  const auto folder = reqtrace::testing::temp_path("python-bad-" + stem);
  std::filesystem::create_directories(folder);
  std::ofstream(folder / (stem + ".py")) << source;
  std::string load_error;
  auto app = PythonApp::load(WsgiTarget{folder / (stem + ".py"), "app"}, reqtrace::trace::Emitter(),
                             load_error);
  if (!app) return "load failed: " + load_error;
  reqtrace::wsgi::ServerStartResponse start_response(reqtrace::trace::Emitter(), 1);
  auto environ = make_environ("GET", "/");
  try {
    auto body = (*app)(environ, start_response);
    body->close();
  } catch (const PythonError& error) {
    return error.what();
  }
  return "";
}

TEST(BadStartResponse, CalledTwiceWithoutExcInfo) {
  const std::string error = error_of("twice", R"(
def app(environ, start_response):
    start_response('200 OK', [])
    start_response('500 Oops', [])
    return [b'']
)");
  EXPECT_EQ(error,
            "AssertionError: start_response() at twice.py:4: called a second time without "
            "exc_info (PEP 3333: \"it is a fatal error to call start_response without the "
            "exc_info argument if start_response has already been called\")");
}

TEST(BadStartResponse, AStatusThatIsNotAStr) {
  const std::string error = error_of("status_int", R"(
def app(environ, start_response):
    start_response(200, [('Content-Type', 'text/plain')])
    return [b'ok']
)");
  EXPECT_EQ(error,
            "TypeError: start_response() at status_int.py:3: the status must be a str, not int "
            "(PEP 3333: status and headers are native strings)");
}

TEST(BadStartResponse, AStatusWithoutItsReason) {
  const std::string error = error_of("status_bare", R"(
def app(environ, start_response):
    start_response('200', [])
    return [b'ok']
)");
  EXPECT_NE(error.find("start_response() at status_bare.py:3: status \"200\" is not \"NNN "
                       "Reason\" (PEP 3333"),
            std::string::npos)
      << error;
}

TEST(BadStartResponse, HeadersThatAreNotAListOfTuples) {
  EXPECT_EQ(error_of("headers_dict", R"(
def app(environ, start_response):
    start_response('200 OK', {'Content-Type': 'text/plain'})
    return [b'ok']
)"),
            "TypeError: start_response() at headers_dict.py:3: response_headers must be a list, "
            "not dict (PEP 3333: \"response_headers is a list of (header_name, header_value) "
            "tuples\")");
  EXPECT_EQ(error_of("headers_strings", R"(
def app(environ, start_response):
    start_response('200 OK', ['Content-Type: text/plain'])
    return [b'ok']
)"),
            "TypeError: start_response() at headers_strings.py:3: response_headers[0] must be a "
            "(name, value) tuple, not 'Content-Type: text/plain' (PEP 3333: \"a list of "
            "(header_name, header_value) tuples\")");
  EXPECT_EQ(error_of("header_bytes", R"(
def app(environ, start_response):
    start_response('200 OK', [(b'Content-Type', b'text/plain')])
    return [b'ok']
)"),
            "TypeError: start_response() at header_bytes.py:3: response_headers[0]'s name must "
            "be a str, not bytes (PEP 3333: status and headers are native strings)");
}

TEST(BadStartResponse, AHopByHopHeader) {
  EXPECT_EQ(error_of("hop", R"(
def app(environ, start_response):
    start_response('200 OK', [('Connection', 'keep-alive')])
    return [b'ok']
)"),
            "AssertionError: start_response() at hop.py:3: header \"Connection\" is hop-by-hop: "
            "only the server may set it (PEP 3333)");
}

}  // namespace
