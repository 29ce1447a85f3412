// The shop (scenarios/apps/shop), a real Flask 2.2 app, served by `reqtrace serve` on every
// server model and by the real servers: Debian's gunicorn for every model's content (status, the
// app's headers in order, the body once de-framed), and the server each model mirrors for the
// framing the server itself decides (status line version, Connection, Transfer-Encoding, the body
// as framed, the close): Werkzeug's run_simple for dev, dev-threaded and fork-per-request,
// gunicorn -k sync for prefork, -k gthread for threaded.
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "peers/wire.hpp"

namespace reqtrace::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kGunicorn = "/usr/bin/gunicorn";
constexpr const char* kPython = "/usr/bin/python3";
const fs::path kShipped = fs::path(REQTRACE_SOURCE_DIR) / "scenarios" / "apps" / "shop";

// Werkzeug's development server as a student starts it, the shop's folder on sys.path.
constexpr const char* kRunSimple = R"(import sys

from werkzeug.serving import run_simple

from app import app

port, threaded, processes = int(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3])
run_simple("127.0.0.1", port, app, threaded=threaded, processes=processes)
)";

// One answer as it came over the wire, and what the app made of it.
struct Answer {
  std::string version;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, as written
  std::string framed;                                        // the body as sent
  std::string body;                                          // de-chunked
  bool closed = false;
  std::string header(const std::string& lower_name) const {
    for (const auto& [name, value] : headers) {
      std::string lowered = name;
      std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lowered == lower_name) return value;
    }
    return "";
  }
};

bool is_servers_own(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::set<std::string> kServers = {"date", "server", "connection",
                                                 "transfer-encoding", "keep-alive"};
  return kServers.count(name) > 0;
}

// Allow's methods in order: Werkzeug collects them in a set (routing/matcher.py
// StateMachineMatcher.match; flask/app.py make_default_options_response), whose order follows
// each interpreter's string hash seed, so two processes of the same app list them differently.
std::string sorted_methods(const std::string& allow) {
  std::vector<std::string> methods;
  std::istringstream list(allow);
  for (std::string method; std::getline(list >> std::ws, method, ',');) methods.push_back(method);
  std::sort(methods.begin(), methods.end());
  std::string sorted;
  for (const auto& method : methods) sorted += (sorted.empty() ? "" : ", ") + method;
  return sorted;
}

// The app's headers: all but what the server writes for itself (PEP 3333's hop-by-hop ones, and
// Date and Server).
std::vector<std::pair<std::string, std::string>> app_headers(const Answer& answer) {
  std::vector<std::pair<std::string, std::string>> own;
  for (const auto& [name, value] : answer.headers) {
    if (is_servers_own(name)) continue;
    own.emplace_back(name, name == "Allow" ? sorted_methods(value) : value);
  }
  return own;
}

// RFC 9112 section 7.1's chunked coding, undone; "" with `ok` false if it is not well formed.
std::string dechunk(const std::string& framed, bool& ok) {
  std::string body;
  std::size_t at = 0;
  ok = false;
  for (;;) {
    const auto line_end = framed.find("\r\n", at);
    if (line_end == std::string::npos) return body;
    const std::size_t size = std::stoul(framed.substr(at, line_end - at), nullptr, 16);
    at = line_end + 2;
    if (size == 0) {
      ok = framed.compare(at, std::string::npos, "\r\n") == 0;
      return body;
    }
    if (at + size + 2 > framed.size()) return body;
    body += framed.substr(at, size);
    at += size + 2;
  }
}

// Whether `raw` holds a whole response: its head, and all of the body its framing promises.
bool is_whole(const std::string& raw, bool head_request) {
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  if (head_request) return true;
  const std::string body = raw.substr(head_end + 4);
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  std::map<std::string, std::string> fields;
  read_header_fields(head, fields);
  if (fields.count("content-length")) return body.size() >= std::stoul(fields["content-length"]);
  if (fields["transfer-encoding"] == "chunked") {
    bool ok = false;
    dechunk(body, ok);
    return ok;
  }
  return false;  // the close ends it
}

// Sends `request` on a connection of its own and reads one whole response, then whether the
// server closes the connection (a kept-alive one stays quiet for the 300 ms waited). A piece may
// take seconds on a loaded machine, where a worker may still be importing the app.
Answer exchange(int port, const std::string& request) {
  RawClient client(port);
  client.send(request);
  const bool head_request = request.rfind("HEAD ", 0) == 0;
  std::string raw;
  while (!is_whole(raw, head_request)) {
    const std::string more = client.read_some(20000);
    if (more.empty()) break;
    raw += more;
  }
  raw += client.read_until_close(is_whole(raw, head_request) ? 300 : 0);
  const WireResponse wire = parse_response(raw);
  Answer answer;
  answer.closed = client.closed();
  answer.version = wire.version;
  answer.status = wire.status;
  answer.framed = wire.body;
  answer.body = wire.body;
  // The header lines again, in order and as written: a map would lose both.
  std::istringstream head(raw.substr(0, raw.find("\r\n\r\n")));
  std::string field;
  std::getline(head, field);  // the status line
  while (std::getline(head, field)) {
    if (!field.empty() && field.back() == '\r') field.pop_back();
    if (const auto colon = field.find(':'); colon != std::string::npos)
      answer.headers.emplace_back(field.substr(0, colon), field.substr(colon + 2));
  }
  if (answer.header("transfer-encoding") == "chunked") {
    bool ok = false;
    answer.body = dechunk(answer.framed, ok);
    EXPECT_TRUE(ok) << "a malformed chunked body: " << answer.framed;
  }
  return answer;
}

std::string form_post(const std::string& path, const std::string& form) {
  return "POST " + path +
         " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
         "Content-Length: " +
         std::to_string(form.size()) + "\r\n\r\n" + form;
}

// Every view of the shop, its errors and redirects, each method Flask answers for itself, and the
// streamed receipt at both HTTP versions.
const std::vector<std::string>& shop_requests() {
  static const std::vector<std::string> requests = {
      "GET / HTTP/1.1\r\nHost: x\r\nCookie: shopper=ada\r\n\r\n",
      "GET /products/ HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /products/1 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /products/9 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /products HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /catalogue HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /admin HTTP/1.1\r\nHost: x\r\nCookie: shopper=bob\r\n\r\n",
      "GET /discount HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /no-such-page HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /order HTTP/1.1\r\nHost: x\r\n\r\n",
      "DELETE /products/1 HTTP/1.1\r\nHost: x\r\n\r\n",
      form_post("/order", "product=2&quantity=3"),
      form_post("/order", "quantity=3"),
      "GET /receipt HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /receipt HTTP/1.0\r\nHost: x\r\n\r\n",
      "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n",
      "HEAD /receipt HTTP/1.1\r\nHost: x\r\n\r\n",
      "OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n",
      "OPTIONS /order HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.0\r\nHost: x\r\n\r\n",
  };
  return requests;
}

std::string first_line(const std::string& request) {
  return request.substr(0, request.find("\r\n"));
}

// What the shop itself sends (status, its headers in order, the body de-framed) must not depend
// on the server. A proxy writes the headers in an order of its own (nginx's
// ngx_http_header_filter puts Content-Type and Content-Length first), so behind one only the
// set of them is the app's.
void expect_same_content(const Answer& ours, const Answer& real, const std::string& what,
                         bool proxied = false) {
  EXPECT_EQ(ours.status, real.status) << what;
  auto our_headers = app_headers(ours);
  auto real_headers = app_headers(real);
  if (proxied) {
    std::sort(our_headers.begin(), our_headers.end());
    std::sort(real_headers.begin(), real_headers.end());
  }
  EXPECT_EQ(our_headers, real_headers) << what;
  EXPECT_EQ(ours.body, real.body) << what << ": the body, de-framed";
}

// What the server decides (its HTTP version, the framing, the close) must be its real
// counterpart's.
void expect_same_framing(const Answer& ours, const Answer& real, const std::string& what) {
  EXPECT_EQ(ours.version, real.version) << what << ": the status line's version";
  EXPECT_EQ(ours.header("connection"), real.header("connection")) << what;
  EXPECT_EQ(ours.header("transfer-encoding"), real.header("transfer-encoding")) << what;
  EXPECT_EQ(ours.framed, real.framed) << what << ": the body as framed";
  EXPECT_EQ(ours.closed, real.closed) << what << ": whether the server closed the connection";
}

struct Model {
  std::string name;          // the test's suffix
  std::string model;         // topology.server.model
  std::string server_extra;  // more of the scenario's "server" object
  std::string proxy;         // topology.proxy, or "null"
  // The real server the model mirrors, run on the shop: its argv after the port, or empty when
  // only the content is compared.
  std::vector<std::string> mirror;
};

void PrintTo(const Model& model, std::ostream* out) {
  *out << model.name;
}

// gunicorn on `port` serving the shop in `shop`, with `worker_args`.
std::vector<std::string> gunicorn(const fs::path& shop, int port,
                                  const std::vector<std::string>& worker_args) {
  std::vector<std::string> argv = {
      "/usr/bin/env", "PYTHONDONTWRITEBYTECODE=1",         kGunicorn,     "--chdir", shop.string(),
      "-b",           "127.0.0.1:" + std::to_string(port), "--log-level", "warning"};
  argv.insert(argv.end(), worker_args.begin(), worker_args.end());
  argv.emplace_back("app:app");
  return argv;
}

// The shop served by reqtrace on a model, by the real server that model mirrors, and by gunicorn's
// sync worker, which answers for the content of every model's answers. Every server serves a
// copy of the shipped app, so no server writes its bytecode into the source tree.
class ShopServers : public ::testing::TestWithParam<Model> {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TempDir();
    shop_ = folder_->path() / "shop";
    fs::create_directories(shop_);
    for (const char* file : {"app.py", "catalog.py"}) fs::copy_file(kShipped / file, shop_ / file);
    reference_port_ = free_port();
    reference_ =
        start_peer(gunicorn(shop_, reference_port_, {"-k", "sync", "-w", "1"}), reference_port_)
            .release();
  }
  static void TearDownTestSuite() {
    delete reference_;
    reference_ = nullptr;
    delete folder_;
    folder_ = nullptr;
  }

  void SetUp() override {
    // The peers are part of the test list: missing is a failure, not a skip.
    ASSERT_EQ(::access(kGunicorn, X_OK), 0)
        << kGunicorn << " not found: install Debian's gunicorn package to run this test";
    ASSERT_EQ(run_process({kPython, "-c", "import flask, werkzeug"}).exit_code, 0)
        << "install Debian's python3-flask and python3-werkzeug to run the shop's peer test";
    ASSERT_NE(reference_, nullptr) << "gunicorn never accepted on " << reference_port_;
    ASSERT_FALSE(dir_.path().empty());
    const Model& model = GetParam();
    if (!model.mirror.empty()) {
      std::vector<std::string> argv = model.mirror;
      if (argv.front() == kGunicorn) {
        argv =
            gunicorn(shop_, mirror_port_, std::vector<std::string>(argv.begin() + 1, argv.end()));
      } else {  // run_simple: THREADED PROCESSES
        const auto script = dir_.write("run.py", kRunSimple);
        argv = {"/usr/bin/env",
                "PYTHONPATH=" + shop_.string(),
                "PYTHONDONTWRITEBYTECODE=1",
                kPython,
                script.string(),
                std::to_string(mirror_port_),
                argv[0],
                argv[1]};
      }
      mirror_ = start_peer(argv, mirror_port_);
      ASSERT_TRUE(mirror_) << model.name << "'s real server never accepted on " << mirror_port_;
    }
    const auto scenario = dir_.write(
        "shop.json", R"({"id": "shop-parity", "title": "The shop, beside the real servers",
  "topology": {"proxy": )" +
                         model.proxy + R"(, "server": {"model": ")" + model.model + "\"" +
                         model.server_extra + R"(}},
  "app": {"wsgi": ")" + (shop_ / "app.py").string() +
                         R"(:app"}, "requests": [{"path": "/"}]})");
    our_port_ = start_reqtrace_serve(scenario, ours_, our_output_);
    ASSERT_NE(our_port_, 0) << "reqtrace serve did not say where it listens:\n" << our_output_;
  }

  void TearDown() override {
    if (mirror_) mirror_->stop(SIGTERM);
    if (ours_) ours_->stop(SIGTERM);
  }

  static inline TempDir* folder_ = nullptr;
  static inline fs::path shop_;
  static inline Background* reference_ = nullptr;
  static inline int reference_port_ = 0;
  TempDir dir_;
  std::unique_ptr<Background> mirror_;
  std::unique_ptr<Background> ours_;
  std::string our_output_;
  int mirror_port_ = free_port();
  int our_port_ = 0;
};

class ShopContent : public ShopServers {};
class ShopFraming : public ShopServers {};

TEST_P(ShopContent, EveryViewAnswersAsUnderGunicorn) {
  for (const std::string& request : shop_requests()) {
    const std::string what = GetParam().name + ", " + first_line(request);
    const Answer real = exchange(reference_port_, request);
    ASSERT_NE(real.status, 0) << "gunicorn did not answer " << what;
    expect_same_content(exchange(our_port_, request), real, what, GetParam().proxy != "null");
  }
}

TEST_P(ShopFraming, EachAnswerIsFramedAsByTheServerTheModelMirrors) {
  ASSERT_TRUE(mirror_) << "every framing case names its real server";
  for (const std::string& request : shop_requests()) {
    const std::string what = GetParam().name + ", " + first_line(request);
    const Answer real = exchange(mirror_port_, request);
    ASSERT_NE(real.status, 0) << "the real server did not answer " << what;
    const Answer ours = exchange(our_port_, request);
    expect_same_framing(ours, real, what);
    expect_same_content(ours, real, what);
  }
}

// Each model, and the real server it mirrors: run_simple(threaded, processes) or gunicorn's args.
const std::vector<Model> kMirrored = {
    Model{"dev", "dev", "", "null", {"0", "1"}},
    Model{"dev_threaded", "dev-threaded", "", "null", {"1", "1"}},
    Model{"fork_per_request", "fork-per-request", R"(, "workers": 2)", "null", {"0", "2"}},
    Model{"prefork", "prefork", R"(, "workers": 1)", "null", {kGunicorn, "-k", "sync"}},
    Model{"threaded",
          "threaded",
          R"(, "workers": 2)",
          "null",
          {kGunicorn, "-k", "gthread", "--threads", "2", "--keep-alive", "0"}},
};

// Behind our nginx-like proxy, which passes the client's Host up as a deployment's
// `proxy_set_header Host $host` does (nginx's default sends the upstream's address, which
// Werkzeug's slash redirect would then name). Only the content is compared.
const Model kBehindTheProxy = {"prefork_behind_the_proxy",
                               "prefork",
                               R"(, "workers": 1)",
                               R"({"proxy_set_header": ["Host $host"]})",
                               {}};

std::string model_name(const ::testing::TestParamInfo<Model>& param) {
  return param.param.name;
}

INSTANTIATE_TEST_SUITE_P(Models, ShopFraming, ::testing::ValuesIn(kMirrored), model_name);
// The content needs no mirror: gunicorn's sync worker answers for it.
std::vector<Model> content_models() {
  std::vector<Model> models = kMirrored;
  models.push_back(kBehindTheProxy);
  for (Model& model : models) model.mirror.clear();
  return models;
}

INSTANTIATE_TEST_SUITE_P(Models, ShopContent, ::testing::ValuesIn(content_models()), model_name);

}  // namespace
}  // namespace reqtrace::testing
