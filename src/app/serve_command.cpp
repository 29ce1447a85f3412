#include <csignal>
#include <iostream>
#include <mutex>

#include "app/command_table.hpp"
#include "app/data_dirs.hpp"
#include "app/recording.hpp"
#include "app/your_app.hpp"
#include "sim/topology/stack.hpp"
#include "trace/recorder.hpp"
#include "trace/trace_writer.hpp"

namespace reqtrace::app {
namespace {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

int serve_command(const Args& args) {
  std::string error;
  auto options = parse_options(args, options_of("serve"), error);
  if (!options) {
    std::cerr << "reqtrace serve: " << error << "\n";
    return kBadInput;
  }
  topology::Listen listen;
  listen.assets = assets_dir();
  if (auto host = options->value("--host")) listen.host = *host;
  if (auto port = options->value("--port")) {
    auto parsed = parse_int("--port", *port, 0, 65535, error);
    if (!parsed) {
      std::cerr << "reqtrace serve: " << error << "\n";
      return kBadInput;
    }
    listen.port = *parsed;
  }
  // A second socket for nginx's uwsgi_pass, beside the HTTP one.
  if (auto port = options->value("--uwsgi-port")) {
    auto parsed = parse_int("--uwsgi-port", *port, 0, 65535, error);
    if (!parsed) {
      std::cerr << "reqtrace serve: " << error << " (0 picks any free port)\n";
      return kBadInput;
    }
    listen.uwsgi_port = *parsed;
  }
  auto scenario = lesson_from_options(*options, "serve", std::cerr);
  if (!scenario) return kBadInput;

  trace::Recorder recorder;
  std::unique_ptr<trace::TraceWriter> writer;
  if (auto path = options->value("--trace")) {
    writer = trace::TraceWriter::open(*path, scenario->source, error);
    if (!writer) {
      std::cerr << "reqtrace serve: " << error << "\n";
      return kBadInput;
    }
    recorder.add_sink([&writer](const std::vector<trace::Event>& batch) {
      if (!writer->write(batch)) std::cerr << writer->error() << "\n";
    });
  }
  // The overview steps, live, as outside clients send requests.
  recorder.add_sink([](const std::vector<trace::Event>& batch) {
    for (const auto& event : batch) {
      if (event.level > trace::kOverview) continue;
      std::cout << "[" << event.lane << (event.req ? " · request " + std::to_string(event.req) : "")
                << "] " << event.msg << "\n";
    }
    std::cout.flush();
  });

  // Ctrl+C and SIGTERM are taken by sigwait below, not by whichever thread the
  // kernel picks: block them before any thread starts, so all inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  recorder.start_background_flush(std::chrono::milliseconds(20));
  auto stack = topology::Stack::start(*scenario, &recorder, listen, error);
  if (!stack) {
    recorder.stop_background_flush();
    recorder.flush();
    std::cerr << "reqtrace serve: " << error << "\n";
    return kRunFailed;
  }
  const auto& door = stack->front_door();
  if (!is_loopback(listen.host))
    std::cout << "Exposed: listening on " << listen.host << ", so any machine that can reach this "
              << "one can send requests to port " << door.port << "\n";
  std::cout << "Serving " << scenario->id << " on http://" << door.to_string() << "/";
  if (auto uwsgi = stack->uwsgi_door()) std::cout << " and uwsgi://" << uwsgi->to_string();
  std::cout << "  (Ctrl+C to stop)" << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cout << "Stopping (" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")" << std::endl;
  stack->stop();
  recorder.stop_background_flush();
  recorder.flush();
  return kOk;
}

}  // namespace reqtrace::app
