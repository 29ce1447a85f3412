// Debian's nginx (/usr/sbin/nginx) run by a peer test as any user: the test's server blocks in
// a config whose every temp path is in a fresh folder, on a free loopback port.
#pragma once

#include <unistd.h>
#include <cstdlib>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "support/peer.hpp"
#include "support/process.hpp"

namespace reqtrace::testing {

inline constexpr const char* kNginx = "/usr/sbin/nginx";

// `text` with each placeholder ("@PORT@") replaced by its value.
inline std::string filled(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [placeholder, value] : values)
    for (auto at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size()))
      text.replace(at, placeholder.size(), value);
  return text;
}

class NginxPeer {
 public:
  NginxPeer() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "reqtrace-nginx-XXXXXX").string();
    if (::mkdtemp(pattern.data())) dir_ = pattern;
  }
  ~NginxPeer() {
    stop();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  NginxPeer(const NginxPeer&) = delete;
  NginxPeer& operator=(const NginxPeer&) = delete;

  // `servers` is what goes inside http { }: server blocks listening on 127.0.0.1:@PORT@ (and
  // @PORT2@ for a second one), with any other placeholders already filled. False when nginx
  // never accepted connections; logs() says why.
  bool start(const std::string& servers) {
    if (dir_.empty() || ::access(kNginx, X_OK) != 0) return false;
    // A port taken between free_port() and nginx's bind is rare; try a few.
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = free_port();
      port2_ = free_port();
      std::ofstream(dir_ / "nginx.conf")
          << filled(std::string(kFrame) + servers + "}\n", {{"@DIR@", dir_.string()},
                                                            {"@PORT@", std::to_string(port_)},
                                                            {"@PORT2@", std::to_string(port2_)}});
      process_ = std::make_unique<Background>(
          std::vector<std::string>{kNginx, "-p", dir_.string(), "-e", (dir_ / "error.log").string(),
                                   "-c", (dir_ / "nginx.conf").string()});
      if (wait_until_accepting(port_, std::chrono::seconds(15)) &&
          wait_until_accepting(port2_, std::chrono::seconds(5)))
        return true;
      process_.reset();  // SIGKILL, then try other ports
    }
    return false;
  }
  // nginx's exit status after SIGTERM (0: a clean shutdown); -1 when it was not running.
  int stop() {
    if (!process_) return -1;
    const int status = process_->stop(SIGTERM);
    process_.reset();
    return status;
  }
  int port() const { return port_; }
  int port2() const { return port2_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::string logs() const {
    std::string out;
    for (const char* log : {"error.log", "access.log", "nginx.conf"})
      out += std::string("--- ") + log + "\n" + read_file(dir_ / log);
    return out;
  }

 private:
  static constexpr const char* kFrame = R"(daemon off;
master_process off;
worker_processes 1;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log info;
events { worker_connections 64; }
http {
  access_log @DIR@/access.log;
  client_body_temp_path @DIR@/client_body;
  proxy_temp_path @DIR@/proxy;
  fastcgi_temp_path @DIR@/fastcgi;
  uwsgi_temp_path @DIR@/uwsgi;
  scgi_temp_path @DIR@/scgi;
)";

  std::filesystem::path dir_;
  std::unique_ptr<Background> process_;
  int port_ = 0;
  int port2_ = 0;
};

}  // namespace reqtrace::testing
