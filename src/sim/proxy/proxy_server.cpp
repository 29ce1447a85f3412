#include "sim/proxy/proxy_server.hpp"

#include <list>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/proxy/client_connection.hpp"
#include "sim/proxy/static_files.hpp"
#include "sim/proxy/upstream_http.hpp"
#include "sim/proxy/upstream_uwsgi.hpp"

namespace reqtrace::proxy {

ProxyServer::ProxyServer(ProxyConfig config, trace::Emitter emitter)
    : config_(std::move(config)), emit_(std::move(emitter)) {
  const UpstreamLimits limits{config_.connect_timeout_ms, config_.upstream_timeout_ms,
                              config_.buffer_size};
  if (config_.protocol == UpstreamProtocol::Uwsgi)
    upstream_ = std::make_unique<UpstreamUwsgi>(config_.upstream, limits);
  else
    upstream_ = std::make_unique<UpstreamHttp>(config_.upstream, limits);
}

ProxyServer::~ProxyServer() {
  stop();
}

bool ProxyServer::listen(std::string& error) {
  if (!config_.static_root.empty()) {
    static_files_ = StaticFiles::open(config_.static_root, config_.static_prefix, error);
    if (!static_files_) return false;
  }
  socket_ = server::ListeningSocket::listen(config_.host, config_.port, config_.backlog, error);
  if (!socket_) return false;
  const server::Endpoint& bound = socket_->address();
  nlohmann::json data = {{"host", bound.host},
                         {"port", bound.port},
                         {"upstream", upstream_->url()},
                         {"directive", upstream_->directive()}};
  std::string msg = "Proxy listens on http://" + bound.to_string() + "/ and passes requests to " +
                    upstream_->url() + " (" + upstream_->directive() + ")";
  if (static_files_) {
    data["static_prefix"] = static_files_->prefix();
    data["static_root"] = static_files_->root().string();
    msg += "; it serves " + static_files_->prefix() + " itself";
  }
  emit_(trace::Phase::Listening, 0, trace::kOverview, msg, {{"proxy.state", "Listening"}}, data);
  return true;
}

const server::Endpoint& ProxyServer::address() const {
  return socket_->address();
}

void ProxyServer::serve_forever() {
  struct Running {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<Running> running;
  auto reap = [&running] {
    for (auto it = running.begin(); it != running.end();) {
      if (!it->done->load()) {
        ++it;
        continue;
      }
      it->thread.join();
      it = running.erase(it);
    }
  };
  while (auto connection = socket_->accept()) {
    reap();
    if (static_cast<int>(running.size()) >= config_.max_connections) {
      emit_(trace::Phase::Error, 0, trace::kServerInternals,
            "Proxy turns a connection away: all " + std::to_string(config_.max_connections) +
                " worker_connections are in use");
      continue;  // closing it is the refusal
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    running.push_back({std::thread([this, done, client = std::move(*connection)]() mutable {
                         ClientConnection handler(config_, static_files_.get(), *upstream_,
                                                  socket_->address(), emit_, next_req_, stopping_);
                         handler.serve(client);
                         done->store(true);
                       }),
                       done});
  }
  stopping_ = true;
  for (auto& connection : running) connection.thread.join();
}

void ProxyServer::stop() {
  stopping_ = true;
  if (socket_) socket_->wake();
}

}  // namespace reqtrace::proxy
