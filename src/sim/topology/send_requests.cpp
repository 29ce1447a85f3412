#include "sim/topology/send_requests.hpp"

#include <latch>
#include <memory>
#include <thread>

#include "sim/topology/configs.hpp"

namespace reqtrace::topology {
namespace {

void append(std::vector<Exchange>& exchanges, std::vector<client::Fetch> fetches,
            std::size_t entry) {
  for (auto& fetch : fetches) {
    Exchange exchange;
    static_cast<client::Fetch&>(exchange) = std::move(fetch);
    exchange.entry = entry;
    exchanges.push_back(std::move(exchange));
  }
}

// N browsers, each on its own thread and lane, ready before any sends: then the latch lets
// them all go at once, as a classroom pressing Enter together.
std::vector<std::vector<client::Fetch>> send_as_crowd(const scenario::Request& entry,
                                                      const server::Endpoint& front_door,
                                                      trace::Recorder* recorder,
                                                      client::RequestNumbers& numbers,
                                                      client::InFlight& in_flight) {
  const auto clients = static_cast<std::size_t>(entry.clients);
  const client::Request request = client_request(entry);
  std::vector<std::vector<client::Fetch>> pages(clients);
  std::latch ready(static_cast<std::ptrdiff_t>(clients));
  std::vector<std::thread> browsers;
  browsers.reserve(clients);
  for (std::size_t i = 0; i < clients; ++i) {
    browsers.emplace_back([&, i] {
      client::Browser browser(
          front_door.host, front_door.port,
          trace::Emitter(recorder, trace::Actor::Client, "client-" + std::to_string(i + 1)),
          numbers, in_flight);
      ready.arrive_and_wait();
      pages[i] = browser.visit(request);
      if (recorder) recorder->flush();
    });
  }
  for (auto& browser : browsers) browser.join();
  return pages;
}

}  // namespace

std::vector<Exchange> send_requests(const scenario::Scenario& scenario,
                                    const server::Endpoint& front_door, trace::Recorder* recorder) {
  client::RequestNumbers numbers;
  client::InFlight in_flight;
  std::unique_ptr<client::Browser> browser;  // the one-client entries', made when first needed
  std::vector<Exchange> exchanges;
  for (std::size_t entry = 0; entry < scenario.requests.size(); ++entry) {
    const scenario::Request& request = scenario.requests[entry];
    if (request.clients > 1) {
      for (auto& page : send_as_crowd(request, front_door, recorder, numbers, in_flight))
        append(exchanges, std::move(page), entry);
      continue;
    }
    if (!browser)
      browser = std::make_unique<client::Browser>(
          front_door.host, front_door.port,
          trace::Emitter(recorder, trace::Actor::Client, "client"), numbers, in_flight);
    append(exchanges, browser->visit(client_request(request)), entry);
    if (recorder) recorder->flush();
  }
  return exchanges;
}

}  // namespace reqtrace::topology
