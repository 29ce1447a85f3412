// The client end of the story: a browser-like HTTP client (cpp-httplib) that sends a scenario's
// requests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario.hpp"
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
};

class Browser {
 public:
  Browser(std::string host, int port, trace::Emitter emitter);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Sends one request and waits for its response. `req` is the request's number
  // in the scenario; it ties the client's events to the server's.
  Response send(const scenario::Request& request, int req);

 private:
  struct Impl;
  std::string host_;
  int port_;
  trace::Emitter emit_;
  std::unique_ptr<Impl> impl_;
};

// "name=Ada&x=1+2", as a browser encodes a form.
std::string form_urlencode(const std::map<std::string, std::string>& form);

}  // namespace reqtrace::client
