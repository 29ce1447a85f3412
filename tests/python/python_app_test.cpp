// Real Python apps through PythonApp: the environ a PEP 3333 app is promised, start_response's
// rules, the body iterable and close(), Debian's Flask 2.2 end to end, and the errors a teacher
// meets when a student's file is broken.
#include "sim/python/python_app.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "flask/wsgi_harness.hpp"
#include "support/temp_path.hpp"

namespace {

using reqtrace::flask::testing::make_environ;
using reqtrace::flask::testing::RecordingStartResponse;
using reqtrace::flask::testing::run;
using reqtrace::python::PythonApp;
using reqtrace::python::WsgiTarget;

// Writes `source` to a module file of its own and loads `name` from it.
class PythonAppTest : public ::testing::Test {
 protected:
  std::filesystem::path write_module(const std::string& stem, const std::string& source) {
    const auto folder = reqtrace::testing::temp_path("python-" + stem);
    std::filesystem::create_directories(folder);
    auto file = folder / (stem + ".py");
    std::ofstream(file) << source;
    return file;
  }

  std::unique_ptr<PythonApp> load(const std::string& stem, const std::string& source,
                                  const std::string& name = "") {
    error_.clear();
    return PythonApp::load(WsgiTarget{write_module(stem, source), name}, reqtrace::trace::Emitter(),
                           error_);
  }

  std::string error_;
};

TEST_F(PythonAppTest, EnvironIsARealDictOfNativeStrings) {
  auto app = load("environ_app", R"(
def app(environ, start_response):
    checks = [
        all(type(k) is str and (type(v) is str or k.startswith('wsgi.'))
            for k, v in environ.items()),
        environ['wsgi.version'] == (1, 0),
        environ['PATH_INFO'] == '/caf\xc3\xa9',  # bytes as latin-1: PEP 3333's rule
        environ['wsgi.input'].read() == b'name=ada',
        environ['wsgi.multithread'] is True,
        environ['wsgi.multiprocess'] is False,
        environ['wsgi.run_once'] is False,
        callable(environ['wsgi.errors'].write),
    ]
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [repr(checks).encode()]
)");
  ASSERT_NE(app, nullptr) << error_;
  auto env = make_environ("POST", "/caf\xc3\xa9", "name=ada", "application/x-www-form-urlencoded");
  env.multithread = true;
  const auto result = run(*app, env);
  EXPECT_EQ(result.status, "200 OK");
  EXPECT_EQ(result.body, "[True, True, True, True, True, True, True, True]");
  EXPECT_EQ(result.known_length, result.body.size());
}

TEST_F(PythonAppTest, WriteComesBeforeTheIterableAndCloseIsCalled) {
  auto app = load("write_app", R"(
closed = []
class Body:
    def __iter__(self):
        yield b'b'
        yield b'c'
    def close(self):
        closed.append(True)

def app(environ, start_response):
    write = start_response('200 OK', [])
    write(b'a')
    return Body()

def closes(environ, start_response):
    start_response('200 OK', [])
    return [str(len(closed)).encode()]
)");
  ASSERT_NE(app, nullptr) << error_;
  const auto result = run(*app, "GET", "/");
  EXPECT_EQ(result.chunks, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(result.known_length, std::nullopt);
  auto closes = load("write_app_probe", "from write_app import closes as app\n");
  ASSERT_NE(closes, nullptr) << error_;
  EXPECT_EQ(run(*closes, "GET", "/").body, "1");
}

TEST_F(PythonAppTest, DebiansFlaskServesARoute) {
  auto app = load("flask_app", R"(
from flask import Flask
app = Flask(__name__)

@app.route('/user/<name>')
def user(name):
    return f'Hello {name}'

@app.route('/boom')
def boom():
    return 1 / 0
)");
  ASSERT_NE(app, nullptr) << error_;
  const auto hello = run(*app, "GET", "/user/ada");
  EXPECT_EQ(hello.status, "200 OK");
  EXPECT_EQ(hello.body, "Hello ada");
  EXPECT_EQ(hello.header("Content-Type"), "text/html; charset=utf-8");

  const auto missing = run(*app, "GET", "/nope");
  EXPECT_EQ(missing.status, "404 NOT FOUND");
  EXPECT_NE(missing.body.find("<title>404 Not Found</title>"), std::string::npos);

  // Flask's own 500 path: handle_exception logs the traceback to wsgi.errors.
  const auto failed = run(*app, "GET", "/boom");
  EXPECT_EQ(failed.status, "500 INTERNAL SERVER ERROR");
  EXPECT_NE(failed.errors.find("ZeroDivisionError: division by zero"), std::string::npos)
      << failed.errors;
}

TEST_F(PythonAppTest, AStrBodyIsRefusedWithThePepsRule) {
  auto app = load("str_body", R"(
def app(environ, start_response):
    start_response('200 OK', [])
    return ['not bytes']
)");
  ASSERT_NE(app, nullptr) << error_;
  RecordingStartResponse start_response;
  auto env = make_environ("GET", "/");
  auto body = (*app)(env, start_response);
  try {
    body->next();
    FAIL() << "a str chunk was accepted";
  } catch (const reqtrace::python::PythonError& error) {
    EXPECT_NE(std::string(error.what()).find("yielded str, not bytes (PEP 3333"), std::string::npos)
        << error.what();
  }
  body->close();
}

TEST_F(PythonAppTest, StartResponseChecksItsArguments) {
  auto app = load("bad_headers", R"(
def app(environ, start_response):
    start_response('200 OK', {'Content-Type': 'text/plain'})
    return [b'']
)");
  ASSERT_NE(app, nullptr) << error_;
  RecordingStartResponse start_response;
  auto env = make_environ("GET", "/");
  try {
    (*app)(env, start_response);
    FAIL() << "a dict of headers was accepted";
  } catch (const reqtrace::python::PythonError& error) {
    EXPECT_EQ(error.type(), "TypeError");
    EXPECT_NE(std::string(error.what()).find("response_headers must be a list, not dict"),
              std::string::npos)
        << error.what();
    EXPECT_NE(error.traceback().find("bad_headers.py"), std::string::npos) << error.traceback();
  }
  EXPECT_EQ(start_response.calls, 0);
}

TEST_F(PythonAppTest, ABrokenFileIsNamedWithItsLine) {
  EXPECT_EQ(load("syntax", "def app(environ, start_response)\n    return []\n"), nullptr);
  EXPECT_NE(error_.find("syntax.py:1: SyntaxError: expected ':'"), std::string::npos) << error_;

  EXPECT_EQ(load("imports", "import os\nimport no_such_module\n"), nullptr);
  EXPECT_NE(error_.find("imports.py:2: importing it raised ModuleNotFoundError: No module named "
                        "'no_such_module'"),
            std::string::npos)
      << error_;

  EXPECT_EQ(load("nameless", "x = 1\n"), nullptr);
  EXPECT_NE(error_.find("defines neither `app` nor `application`"), std::string::npos) << error_;

  EXPECT_EQ(load("named", "x = 1\n", "web"), nullptr);
  EXPECT_NE(error_.find("has no `web`"), std::string::npos) << error_;

  EXPECT_EQ(load("uncallable", "app = 'hello'\n"), nullptr);
  EXPECT_NE(error_.find("`app` is a str, not a callable"), std::string::npos) << error_;
}

TEST_F(PythonAppTest, ParsesTargets) {
  const auto base = std::filesystem::path(write_module("target", "app = None\n")).parent_path();
  std::string error;
  const auto named = reqtrace::python::parse_wsgi_target("target.py:web", base, error);
  ASSERT_TRUE(named) << error;
  EXPECT_EQ(named->file, base / "target.py");
  EXPECT_EQ(named->name, "web");
  EXPECT_FALSE(reqtrace::python::parse_wsgi_target("target.py:create_app()", base, error));
  EXPECT_NE(error.find("is not a callable's name"), std::string::npos) << error;
  EXPECT_FALSE(reqtrace::python::parse_wsgi_target("target", base, error));
  EXPECT_NE(error.find("expected FILE.py or FILE.py:NAME"), std::string::npos) << error;
  EXPECT_FALSE(reqtrace::python::parse_wsgi_target("missing.py", base, error));
  EXPECT_NE(error.find("missing.py: no such file"), std::string::npos) << error;
}

// gthread's case: one interpreter, threads taking turns at the GIL. A view that sleeps lets the
// other thread's request run meanwhile.
TEST_F(PythonAppTest, TwoThreadsShareTheInterpreter) {
  auto app = load("sleepy", R"(
import threading, time
def app(environ, start_response):
    time.sleep(0.05)
    start_response('200 OK', [])
    return [threading.current_thread().name.encode()]
)");
  ASSERT_NE(app, nullptr) << error_;
  std::string first, second;
  std::thread a([&] { first = run(*app, "GET", "/").status; });
  std::thread b([&] { second = run(*app, "GET", "/").status; });
  a.join();
  b.join();
  EXPECT_EQ(first, "200 OK");
  EXPECT_EQ(second, "200 OK");
}

// fork-per-request's case: the app imported before the fork serves in the child.
TEST_F(PythonAppTest, ServesInAForkedChild) {
  auto app = load("forked", R"(
import os
parent = os.getpid()
def app(environ, start_response):
    start_response('200 OK', [])
    return [b'child' if os.getpid() != parent else b'parent']
)");
  ASSERT_NE(app, nullptr) << error_;
  const pid_t child = ::fork();
  if (child == 0) ::_exit(run(*app, "GET", "/").body == "child" ? 0 : 1);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(run(*app, "GET", "/").body, "parent");
}

}  // namespace
