// nginx's event pipe (ngx_event_pipe.c) for one response: the upstream's body read into the
// proxy buffers, each buffer passed on to the client once it is full, the rest held for a
// client slower than the upstream, so the upstream never waits for the client.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "sim/proxy/proxy_config.hpp"
#include "sim/proxy/upstream.hpp"
#include "sim/server/socket.hpp"
#include "trace/emitter.hpp"

namespace reqtrace::proxy {

// "200 OK", with the standard reason when the upstream gave none.
std::string status_text(int status, const std::string& reason);
// "1 byte", "17 bytes".
std::string bytes_text(std::size_t bytes);
// 1xx, 204 and 304 answers never have a body.
bool bodiless_status(int status);

// What the pipe needs to know of the client's request.
struct ClientSide {
  int req = 0;
  bool head_only = false;   // a HEAD: no body follows the head
  bool keep_alive = false;  // the client asked to keep the connection
  bool http11 = true;       // chunked framing is open to it
};

class ResponsePipe : public ResponseSink {
 public:
  ResponsePipe(const ProxyConfig& config, server::Connection& client, trace::Emitter& emit,
               ClientSide side, std::string upstream_url);
  ~ResponsePipe() override;
  ResponsePipe(const ResponsePipe&) = delete;
  ResponsePipe& operator=(const ResponsePipe&) = delete;

  // The upstream's head: the client's head is made from it (ngx_http_upstream_send_response).
  void head(int status, const std::string& reason, const HeaderList& headers,
            std::size_t head_bytes) override;
  // More of the upstream's body, as it was read.
  void body(std::string_view bytes) override;

  // The upstream is done (answered whole, or failed after its head): the rest goes to the
  // client and the trace says how. Returns whether the client connection may carry another
  // request.
  bool finish(const UpstreamReply& reply);

  // Not empty when the upstream's head cannot be passed on (a header would split the
  // response); the caller answers 502 instead.
  const std::string& refusal() const { return refusal_; }

 private:
  // The bytes a piece of body takes on the client's connection (a chunk when chunked).
  std::string framed(std::string_view bytes) const;
  // Hands whole buffers of what was read to the writer; at the first, the pipe starts.
  void pass_full_buffers();
  void start_writer();
  void writer_loop();
  std::string buffers_text() const;  // "proxy_buffers 8 4k"

  struct Piece {
    std::string bytes;           // as they go on the wire
    std::size_t body_bytes = 0;  // how much of the body they carry
    bool last = false;
  };

  const ProxyConfig& config_;
  server::Connection& client_;
  trace::Emitter& emit_;
  ClientSide side_;
  std::string upstream_url_;

  int status_ = 0;
  std::string reason_;
  HeaderList upstream_headers_;
  std::string client_head_;  // the status line and headers the client gets
  std::string refusal_;
  bool chunked_ = false;
  std::size_t upstream_length_ = 0;  // what the upstream's Content-Length said, if it did
  bool has_length_ = false;

  std::string held_;  // read from the upstream and not yet passed on
  std::size_t read_bytes_ = 0;
  std::size_t passed_bytes_ = 0;  // handed to the writer so far
  // The body's room in the first buffer: the upstream's head was read into it
  // (proxy_buffer_size), and the body that came with the head shares it.
  std::size_t first_room_ = 0;
  bool passing_ = false;  // a buffer has filled: the client is being fed while the upstream sends

  // Between this thread (reading the upstream) and the writer (feeding the client).
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Piece> queue_;
  std::size_t queued_bytes_ = 0;
  bool spooling_said_ = false;
  bool upstream_done_ = false;
  bool client_gone_ = false;
  std::size_t written_body_ = 0;
  std::thread writer_;
};

}  // namespace reqtrace::proxy
