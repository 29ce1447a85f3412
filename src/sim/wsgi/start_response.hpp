// The server's start_response callable, enforcing PEP 3333's rules on status and headers.
#pragma once

#include <stdexcept>
#include <string>

#include "sim/wsgi/application.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::wsgi {

// The app broke the WSGI contract; the server answers 500 and records why.
class StartResponseError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

class ServerStartResponse : public StartResponse {
 public:
  ServerStartResponse(trace::Emitter emitter, int req) : emitter_(std::move(emitter)), req_(req) {}

  void operator()(const std::string& status, const Headers& headers, bool exc_info) override;

  bool called() const { return called_; }
  const std::string& status() const { return status_; }
  int status_code() const;
  const Headers& headers() const { return headers_; }
  // Once the head is on the wire, a second call (even with exc_info) cannot change it.
  void mark_headers_sent() { headers_sent_ = true; }

 private:
  trace::Emitter emitter_;
  int req_;
  bool called_ = false;
  bool headers_sent_ = false;
  std::string status_;
  Headers headers_;
};

// Hop-by-hop headers belong to the server, not the app (PEP 3333).
bool is_hop_by_hop(std::string_view name);

}  // namespace reqtrace::wsgi
