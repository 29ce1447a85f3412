// One of the browser's connections to the host: a keep-alive HTTP/1.1 client on its own lane.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/client/in_flight.hpp"
#include "sim/client/request.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::client {

struct Response {
  bool ok = false;    // false when no response came (refused, reset, timed out)
  std::string error;  // why, when !ok
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  double latency_ms = 0;  // from handing the request over to having the whole response

  // The value of a header, by case-insensitive name; "" when it is not there.
  std::string header(std::string_view name) const;
};

// What a request is for when a page asked for it: the page's path and number, and the tag.
struct LinkedFrom {
  std::string kind;  // "img", "script" or "stylesheet"
  std::string page;  // the page's request target
  int page_req = 0;
};

// Like a browser's socket to the host: opened when a request needs it, kept open between
// requests when the server allows, opened again when the server closed it. One request at a
// time: a browser speaking HTTP/1.1 opens more connections to fetch in parallel.
class Connection {
 public:
  // Events go to `emitter`'s lane, the connection's own row on the timeline; its send and
  // receive events count the request in and out of `in_flight`.
  Connection(std::string host, int port, trace::Emitter emitter, InFlight& in_flight);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends `request` as request number `req` (in X-Reqtrace-Req) and waits for the whole
  // response. `linked_from` is set for a subresource: it says so in the events and sends the
  // page as Referer, as a browser does.
  Response send(const Request& request, int req, const LinkedFrom* linked_from = nullptr);

  const std::string& lane() const { return emit_.lane(); }

 private:
  // Whether the next request goes out on the socket already open.
  bool reusable() const;
  struct Client;
  std::string host_;
  int port_;
  trace::Emitter emit_;
  InFlight& in_flight_;
  int current_req_ = 0;          // the request being sent, for the connect event
  std::string connect_purpose_;  // what the connect event says the connection is for
  int socket_ = -1;              // the socket httplib opened last, to tell whether it still lives
  // The send event, held until the connection it goes out on is open: a new connection's
  // connect comes first, as it does on the wire.
  std::function<void()> announce_send_;
  std::unique_ptr<Client> client_;
};

// "name=Ada&x=1+2", as a browser encodes a form.
std::string form_urlencode(const std::map<std::string, std::string>& form);

}  // namespace reqtrace::client
