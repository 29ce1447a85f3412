// reqtrace list: the shipped scenarios, one line each: name, server model (and proxy), title.
#include <iostream>

#include "app/commands.hpp"
#include "app/data_dirs.hpp"
#include "app/exit_codes.hpp"
#include "app/text_table.hpp"
#include "sim/topology/configs.hpp"
#include "sim/topology/load_scenario.hpp"

namespace reqtrace::app {
namespace {

// "prefork, 4 workers"; with a proxy in front, "nginx uwsgi_pass → dev". dev is Werkzeug's
// BaseWSGIServer and dev-threaded its ThreadedWSGIServer: the names say which.
std::string server_cell(const scenario::Topology& topology) {
  using scenario::ServerModel;
  const auto& server = topology.server;
  const int workers = topology::workers(server);
  std::string cell(scenario::name_of(server.model));
  if (server.model == ServerModel::Threaded)
    cell += ", " + std::to_string(workers) + (workers == 1 ? " thread" : " threads");
  if (server.model == ServerModel::Prefork)
    cell += ", " + std::to_string(workers) + (workers == 1 ? " worker" : " workers");
  if (server.model == ServerModel::ForkPerRequest)
    cell += ", processes=" + std::to_string(workers);  // Werkzeug's max_children
  if (topology.proxy) {
    const bool uwsgi = topology.proxy->upstream == scenario::UpstreamProtocol::Uwsgi;
    cell = std::string("nginx ") + (uwsgi ? "uwsgi_pass" : "proxy_pass") + " → " + cell;
  }
  return cell;
}

}  // namespace

int list_command(const Args& args) {
  if (!args.empty()) {
    std::cerr << "reqtrace list: expected no arguments, got " << args.front() << "\n";
    return kBadInput;
  }
  const auto files = shipped_scenarios();
  if (files.empty()) {
    std::cerr << "reqtrace list: " << no_scenarios_folder() << "\n";
    return kBadInput;
  }
  int exit_code = kOk;
  std::vector<std::vector<std::string>> rows = {{"Scenario", "Server", "Title"}};
  for (const auto& file : files) {
    const auto loaded = topology::load_file(file);
    if (!loaded) {
      rows.push_back({file.stem().string(), "?", "(does not load: reqtrace validate shows why)"});
      exit_code = kBadInput;
      continue;
    }
    rows.push_back(
        {file.stem().string(), server_cell(loaded.scenario->topology), loaded.scenario->title});
  }
  print_columns(std::cout, rows, 0);
  return exit_code;
}

}  // namespace reqtrace::app
