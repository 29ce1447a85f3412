// The client end of the story: a browser that loads a page, then what the page links to.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "sim/client/connection.hpp"
#include "sim/client/in_flight.hpp"
#include "sim/client/request.hpp"
#include "sim/client/request_numbers.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::client {

// One request the browser made, and what came back.
struct Fetch {
  int req = 0;  // its number in the run
  Request request;
  Response response;
  std::string lane;  // the connection it went over
  // For a subresource, the page that linked to it; kind is "page" for the page itself.
  std::string kind = "page";
  int page_req = 0;
};

class Browser {
 public:
  // Chrome's limit of simultaneous HTTP/1.1 connections to one host.
  static constexpr std::size_t kConnectionsPerHost = 6;

  // Events go to `emitter`'s lane ("client", "client-7"); connections after the first get lanes
  // of their own, "client/conn-2" and on. Every request takes its number from `numbers` and is
  // counted in `in_flight` while it waits for its answer; a run's browsers share both.
  Browser(std::string host, int port, trace::Emitter emitter, RequestNumbers& numbers,
          InFlight& in_flight);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Loads `request` as a page. When the answer is HTML and request.subresources is on, then
  // fetches what the page links to (find_subresources), each its own request, in parallel over
  // up to kConnectionsPerHost connections, the page's own one first. Returns the page's fetch,
  // then one per subresource in the order the page lists them.
  std::vector<Fetch> visit(const Request& request);

 private:
  Connection& connection(std::size_t index);  // opened on first use
  Fetch fetch(std::size_t connection_index, const Request& request, const LinkedFrom* linked_from);

  std::string host_;
  int port_;
  trace::Emitter emit_;
  RequestNumbers& numbers_;
  InFlight& in_flight_;
  std::vector<std::unique_ptr<Connection>> connections_;
};

// Whether a Content-Type names an HTML document: "text/html; charset=utf-8".
bool is_html(std::string_view content_type);

}  // namespace reqtrace::client
