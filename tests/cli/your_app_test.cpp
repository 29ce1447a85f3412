// A student's own Flask app through the command line: run --wsgi with --request on every server
// model, a scenario naming its app, and the errors a broken file gets.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_path.hpp"

namespace {

using reqtrace::testing::run_process;
namespace fs = std::filesystem;

constexpr const char* kShop = R"(from flask import Flask, request

app = Flask(__name__)


@app.route("/user/<name>")
def user(name):
    return f"Hello {name}"


@app.route("/form", methods=["POST"])
def form():
    return f"Thanks {request.form['name']}"
)";

fs::path write_app(const std::string& name, const std::string& source) {
  return reqtrace::testing::write_temp_file("your-app", name, source);
}

// The scenario your-app on `model`, its app the one in `app`.
fs::path scenario_on(const std::string& model, const fs::path& app) {
  auto file = reqtrace::testing::temp_path("your-app-" + model + ".json");
  nlohmann::json scenario = {{"id", "shop-" + model},
                             {"title", "The shop on " + model},
                             {"topology", {{"server", {{"model", model}, {"workers", 2}}}}},
                             {"app", {{"wsgi", app.filename().string() + ":app"}}},
                             {"requests", {{{"method", "GET"}, {"path", "/user/ada"}}}}};
  if (model == "dev") scenario["topology"]["server"].erase("workers");
  std::ofstream(file) << scenario.dump(2);
  // The app's path is relative to the scenario's folder: put the app beside it.
  fs::copy_file(app, file.parent_path() / app.filename(), fs::copy_options::overwrite_existing);
  return file;
}

TEST(YourApp, RunsAFlaskFileWithTheRequestsGiven) {
  const auto app = write_app("shop.py", kShop);
  auto result = run_process({REQTRACE_BINARY, "run", "--wsgi", app.string(), "--json", "--request",
                             "GET /user/ada", "--request", "POST /form name=grace"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto out = nlohmann::json::parse(result.out);
  ASSERT_EQ(out["responses"].size(), 2u) << result.out;
  EXPECT_EQ(out["responses"][0]["status"], 200);
  EXPECT_EQ(out["responses"][0]["body"], "Hello ada");
  EXPECT_EQ(out["responses"][1]["body"], "Thanks grace");
}

TEST(YourApp, EveryServerModelServesTheRealApp) {
  const auto app = write_app("shop_models.py", kShop);
  for (const std::string model : {"dev", "threaded", "prefork", "fork-per-request", "cgi"}) {
    SCOPED_TRACE(model);
    auto result = run_process({REQTRACE_BINARY, "run", scenario_on(model, app).string(), "--json"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto out = nlohmann::json::parse(result.out);
    ASSERT_EQ(out["responses"].size(), 1u);
    EXPECT_EQ(out["responses"][0]["body"], "Hello ada") << result.err;
  }
}

TEST(YourApp, ABrokenAppIsBadInputNamingTheLine) {
  const auto broken = write_app("broken.py", "from flask import Flask\napp = Flask(\n");
  auto result = run_process({REQTRACE_BINARY, "run", "--wsgi", broken.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("broken.py:2: SyntaxError: '(' was never closed"), std::string::npos)
      << result.err;

  const auto missing = write_app("missing_import.py", "import flask_nonexistent\n");
  result = run_process({REQTRACE_BINARY, "run", "--wsgi", missing.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("missing_import.py:1: importing it raised ModuleNotFoundError: No "
                            "module named 'flask_nonexistent'"),
            std::string::npos)
      << result.err;

  result = run_process({REQTRACE_BINARY, "run", "--wsgi", "no-such-app.py"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no-such-app.py: no such file"), std::string::npos) << result.err;

  result = run_process({REQTRACE_BINARY, "run"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("or --wsgi FILE.py"), std::string::npos) << result.err;

  const auto app = write_app("shop_requests.py", kShop);
  result = run_process({REQTRACE_BINARY, "run", "--wsgi", app.string(), "--request", "fetch it"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--request \"fetch it\": expected \"METHOD PATH\""), std::string::npos)
      << result.err;
}

}  // namespace
