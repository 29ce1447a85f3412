// A real proxy in front of a real dev server on loopback, with a static_root made for the test,
// and the trace both of them write.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/proxy/proxy_server.hpp"
#include "sim/server/dev_server.hpp"
#include "sim/topology/scenario_views.hpp"
#include "support/raw_client.hpp"
#include "support/route.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::testing {

namespace fs = std::filesystem;

// A fresh folder under the test's temp dir, removed at the end: holds the static_root ("root")
// and, next to it, a file that must never be served ("secret.txt").
class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (fs::path(::testing::TempDir()) / "proxy-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const fs::path& path() const { return path_; }
  fs::path write(const fs::path& relative, const std::string& content) const {
    fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  fs::path path_;
};

class ProxyStack {
  // First, so they outlive the recorder, whose last flush lands here.
  std::mutex mutex_;
  std::vector<trace::Event> events_;

 public:
  ProxyStack() {
    recorder.add_sink([this](const std::vector<trace::Event>& batch) {
      std::lock_guard<std::mutex> lock(mutex_);
      events_.insert(events_.end(), batch.begin(), batch.end());
    });
  }
  ~ProxyStack() { stop(); }

  // The upstream: a dev server (keep-alive off, as Werkzeug's) serving `app`.
  void start_server(std::unique_ptr<wsgi::Application> app, server::ServerConfig config = {}) {
    app_ = std::move(app);
    server_ = std::make_unique<server::DevServer>(
        std::move(config), *app_, trace::Emitter(&recorder, trace::Actor::Server, "server"));
    std::string error;
    ASSERT_TRUE(server_->listen(error)) << error;
    serving_ = std::thread([this] { server_->serve_forever(); });
  }
  void start_server(const std::vector<scenario::Route>& routes, server::ServerConfig config = {}) {
    start_server(
        topology::build_app(routes, {}, trace::Emitter(&recorder, trace::Actor::App, "app")),
        std::move(config));
  }

  // The proxy; its upstream is the server's HTTP address unless the config names one.
  void start_proxy(proxy::ProxyConfig config) {
    if (config.upstream.port == 0 && server_) config.upstream = server_->address();
    proxy_ = std::make_unique<proxy::ProxyServer>(
        config, trace::Emitter(&recorder, trace::Actor::Proxy, "proxy"));
    std::string error;
    ASSERT_TRUE(proxy_->listen(error)) << error;
    proxying_ = std::thread([this] { proxy_->serve_forever(); });
  }

  void stop() {
    if (proxy_) proxy_->stop();
    if (proxying_.joinable()) proxying_.join();
    if (server_) server_->stop();
    if (serving_.joinable()) serving_.join();
  }

  int port() const { return proxy_->address().port; }
  server::DevServer& server() { return *server_; }

  // Everything emitted so far, in seq order.
  std::vector<trace::Event> events() {
    recorder.flush();
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  std::vector<trace::Event> events_of(trace::Actor actor, trace::Phase phase) {
    std::vector<trace::Event> out;
    for (auto& event : events())
      if (event.actor == actor && event.phase == phase) out.push_back(event);
    return out;
  }
  // Waits (a safety net, not a timing assertion) until an event like this has been emitted.
  bool wait_for(trace::Actor actor, trace::Phase phase, int req) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& event : events())
        if (event.actor == actor && event.phase == phase && event.req == req) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  trace::Recorder recorder;

 private:
  std::unique_ptr<wsgi::Application> app_;
  std::unique_ptr<server::DevServer> server_;
  std::thread serving_;
  std::unique_ptr<proxy::ProxyServer> proxy_;
  std::thread proxying_;
};

// The status code of a raw response, 0 when there is none.
inline int status_of(const std::string& response) {
  if (response.size() < 12 || response.compare(0, 9, "HTTP/1.1 ") != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

// The body as a client reads it: de-chunked when the head says chunked (as nginx answers an
// HTTP/1.1 client when the upstream gave no length).
inline std::string body_of(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  if (end == std::string::npos) return std::string();
  const std::string head = response.substr(0, end + 2);
  if (head.find("\r\nTransfer-Encoding: chunked\r\n") == std::string::npos)
    return response.substr(end + 4);
  std::string body;
  std::size_t at = end + 4;
  while (at < response.size()) {
    const auto line_end = response.find("\r\n", at);
    if (line_end == std::string::npos) break;
    const std::size_t size = std::stoul(response.substr(at, line_end - at), nullptr, 16);
    if (size == 0) break;
    body += response.substr(line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
  return body;
}

// A header's value in a raw response; nullopt when it is not there.
inline std::optional<std::string> header_of(const std::string& response, const std::string& name) {
  const auto head_end = response.find("\r\n\r\n");
  const std::string needle = "\r\n" + name + ": ";
  const auto at = response.find(needle);
  if (at == std::string::npos || at > head_end) return std::nullopt;
  const auto start = at + needle.size();
  return response.substr(start, response.find("\r\n", start) - start);
}

// Sends raw bytes to the port and reads the answer until the peer closes.
inline std::string exchange(int port, const std::string& request) {
  RawClient client(port);
  EXPECT_TRUE(client.connected());
  client.send(request);
  return client.read_until_close(30000);
}

}  // namespace reqtrace::testing
