#include "sim/client/browser.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

#include "sim/client/subresources.hpp"

namespace reqtrace::client {

bool is_html(std::string_view content_type) {
  std::string media(content_type.substr(0, content_type.find(';')));
  media.erase(media.find_last_not_of(" \t") + 1);
  media.erase(0, media.find_first_not_of(" \t"));
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "text/html";
}

Browser::Browser(std::string host, int port, trace::Emitter emitter, RequestNumbers& numbers,
                 InFlight& in_flight)
    : host_(std::move(host)),
      port_(port),
      emit_(std::move(emitter)),
      numbers_(numbers),
      in_flight_(in_flight) {
  connections_.resize(kConnectionsPerHost);
}

Browser::~Browser() = default;

Connection& Browser::connection(std::size_t index) {
  auto& slot = connections_.at(index);
  if (!slot) {
    const std::string lane =
        index == 0 ? emit_.lane() : emit_.lane() + "/conn-" + std::to_string(index + 1);
    slot = std::make_unique<Connection>(host_, port_, emit_.on_lane(lane), in_flight_);
  }
  return *slot;
}

Fetch Browser::fetch(std::size_t connection_index, const Request& request,
                     const LinkedFrom* linked_from) {
  Connection& over = connection(connection_index);
  Fetch fetched;
  // Numbered as it starts, so numbers follow the order requests really began.
  fetched.req = numbers_.next();
  fetched.request = request;
  fetched.lane = over.lane();
  if (linked_from) {
    fetched.kind = linked_from->kind;
    fetched.page_req = linked_from->page_req;
  }
  fetched.response = over.send(request, fetched.req, linked_from);
  return fetched;
}

std::vector<Fetch> Browser::visit(const Request& request) {
  std::vector<Fetch> fetches;
  fetches.push_back(fetch(0, request, nullptr));
  const Fetch& page = fetches.front();
  if (!request.subresources || !page.response.ok || !is_html(page.response.header("Content-Type")))
    return fetches;
  const PageLinks links = find_subresources(page.response.body, request.path);
  if (links.fetch.empty()) return fetches;

  // Each connection takes the next link not yet taken, as a browser's fetch queue hands them
  // out; the page's own connection is one of them.
  std::vector<Fetch> fetched(links.fetch.size());
  std::atomic<std::size_t> next{0};
  const int page_req = page.req;
  auto work = [&](std::size_t connection_index) {
    for (std::size_t i = next++; i < links.fetch.size(); i = next++) {
      const Subresource& link = links.fetch[i];
      Request get;
      get.path = link.path;
      const LinkedFrom linked_from{link.kind, request.path, page_req};
      fetched[i] = fetch(connection_index, get, &linked_from);
    }
  };
  const std::size_t parallel = std::min(kConnectionsPerHost, links.fetch.size());
  std::vector<std::thread> others;
  for (std::size_t c = 1; c < parallel; ++c) {
    connection(c);  // opened here, not from the threads, which share connections_
    others.emplace_back(work, c);
  }
  work(0);
  for (auto& thread : others) thread.join();
  for (auto& one : fetched) fetches.push_back(std::move(one));
  return fetches;
}

}  // namespace reqtrace::client
