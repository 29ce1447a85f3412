#include "sim/proxy/response_pipe.hpp"

#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/http/http_date.hpp"
#include "sim/http/response_writer.hpp"
#include "sim/proxy/forwarded_headers.hpp"
#include "sim/server/request_handler.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::proxy {
namespace {

using trace::Phase;

std::string hex(std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do out.insert(out.begin(), kDigits[n % 16]);
  while ((n /= 16) != 0);
  return out;
}

}  // namespace

std::string status_text(int status, const std::string& reason) {
  return std::to_string(status) + " " +
         (reason.empty() ? std::string(http::reason_phrase(status)) : reason);
}

std::string bytes_text(std::size_t bytes) {
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

bool bodiless_status(int status) {
  return status < 200 || status == 204 || status == 304;
}

ResponsePipe::ResponsePipe(const ProxyConfig& config, server::Connection& client,
                           trace::Emitter& emit, ClientSide side, std::string upstream_url)
    : config_(config),
      client_(client),
      emit_(emit),
      side_(side),
      upstream_url_(std::move(upstream_url)) {}

ResponsePipe::~ResponsePipe() {
  if (writer_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      upstream_done_ = true;
    }
    changed_.notify_all();
    writer_.join();
  }
}

std::string ResponsePipe::buffers_text() const {
  return "proxy_buffers " + std::to_string(config_.buffers) + " " +
         std::to_string(config_.buffer_size / 1024) + "k";
}

void ResponsePipe::head(int status, const std::string& reason, const HeaderList& headers,
                        std::size_t head_bytes) {
  first_room_ = head_bytes < config_.buffer_size ? config_.buffer_size - head_bytes : 0;
  status_ = status;
  reason_ = reason;
  upstream_headers_ = headers;
  HeaderList all = {{"Server", std::string(kProxySoftware)},
                    {"Date", http::format_http_date(std::time(nullptr))}};
  for (auto& header : client_response_headers(headers)) all.push_back(std::move(header));
  // ngx_http_upstream_send_response: the upstream's length is the client's; without one, an
  // HTTP/1.1 client gets the body chunked (ngx_http_chunked_filter) and an HTTP/1.0 client
  // gets it up to the close.
  if (const std::string* length = find_header(headers, "Content-Length")) {
    all.emplace_back("Content-Length", *length);
    has_length_ = true;
  } else if (!bodiless_status(status) && !side_.head_only) {
    if (side_.http11) {
      all.emplace_back("Transfer-Encoding", "chunked");
      chunked_ = true;
    } else {
      side_.keep_alive = false;
    }
  }
  all.emplace_back("Connection", side_.keep_alive ? "keep-alive" : "close");
  try {
    client_head_ = http::serialize_head("HTTP/1.1", status_text(status, reason), all);
  } catch (const std::invalid_argument& e) {
    // An upstream header with a CR, LF or NUL in it would split the response: refuse it.
    refusal_ = std::string("the upstream's response cannot be passed on: ") + e.what();
  }
}

std::string ResponsePipe::framed(std::string_view bytes) const {
  if (side_.head_only || bodiless_status(status_)) return {};
  if (!chunked_ || bytes.empty()) return std::string(bytes);
  return hex(bytes.size()) + "\r\n" + std::string(bytes) + "\r\n";
}

void ResponsePipe::body(std::string_view bytes) {
  if (!refusal_.empty()) return;
  read_bytes_ += bytes.size();
  held_ += bytes;
  // ngx_event_pipe_read_upstream hands a buffer on (input_filter) only once it is full, the
  // first being the one the head was read into; with proxy_buffering off, whatever arrived goes
  // on at once.
  std::size_t full_end = read_bytes_;  // where the last full buffer ends, in body bytes
  if (config_.buffering)
    full_end =
        read_bytes_ < first_room_
            ? 0
            : first_room_ + (read_bytes_ - first_room_) / config_.buffer_size * config_.buffer_size;
  if (full_end <= passed_bytes_) return;
  const std::size_t whole = full_end - passed_bytes_;
  passed_bytes_ = full_end;
  const std::string piece = held_.substr(0, whole);
  held_.erase(0, whole);
  if (!passing_) {
    passing_ = true;
    emit_(Phase::UpstreamResponse, side_.req, trace::kOverview,
          "Upstream answers " + status_text(status_, reason_) + "; " +
              (config_.buffering
                   ? "a " + std::to_string(config_.buffer_size / 1024) +
                         " KiB proxy buffer is full, so the proxy starts passing the response "
                         "to the client while the upstream is still sending (proxy_buffering on "
                         "passes each buffer on as it fills)"
                   : "the proxy passes each piece on to the client as it arrives "
                     "(proxy_buffering off)"),
          {{"proxy.state", "Passing the response on"}},
          {{"status", status_},
           {"reason", reason_},
           {"headers", nlohmann::json(upstream_headers_)},
           {"buffering", config_.buffering},
           {"buffers", buffers_text()},
           {"case", "streamed"},
           {"read_bytes", read_bytes_}});
    start_writer();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  queue_.push_back({framed(piece), piece.size(), false});
  queued_bytes_ += piece.size();
  const std::size_t in_memory = config_.buffer_size * static_cast<std::size_t>(config_.buffers);
  if (config_.buffering && queued_bytes_ > in_memory && !spooling_said_) {
    spooling_said_ = true;
    emit_(Phase::UpstreamResponse, side_.req, trace::kServerInternals,
          "The client takes the response slower than the upstream sends it: all " +
              std::to_string(config_.buffers) +
              " proxy buffers are full, so nginx writes the "
              "rest to a temp file (proxy_temp_path, up to proxy_max_temp_file_size) and keeps "
              "reading; reqtrace keeps it in memory instead. The upstream does not wait",
          {}, {{"queued_bytes", queued_bytes_}, {"buffers", buffers_text()}});
  }
  changed_.notify_all();
  // Past proxy_max_temp_file_size nginx stops reading the upstream until the client catches up.
  changed_.wait(lock, [&] { return queued_bytes_ <= config_.max_temp_file_size || client_gone_; });
}

void ResponsePipe::start_writer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back({client_head_, 0, false});
  }
  // Corked while it streams, so the last bytes leave only once the trace says they were sent.
  client_.cork(true);
  writer_ = std::thread([this] { writer_loop(); });
}

void ResponsePipe::writer_loop() {
  for (;;) {
    std::string batch;
    std::size_t body_bytes = 0;
    bool last = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return !queue_.empty() || upstream_done_; });
      if (queue_.empty()) return;  // the upstream failed: nothing more comes
      while (!queue_.empty()) {
        batch += queue_.front().bytes;
        body_bytes += queue_.front().body_bytes;
        last = last || queue_.front().last;
        queue_.pop_front();
      }
      queued_bytes_ -= body_bytes;
    }
    changed_.notify_all();
    if (!client_.write_all(batch, config_.send_timeout_ms)) {
      std::lock_guard<std::mutex> lock(mutex_);
      client_gone_ = true;
      changed_.notify_all();
      return;
    }
    written_body_ += body_bytes;
    if (last) {
      emit_(Phase::Send, side_.req, trace::kOverview,
            "Proxy has sent " + status_text(status_, reason_) + " to the client: " +
                bytes_text(written_body_) + " of body, passed on as its buffers filled",
            {{"proxy.state", "Response sent to the client"}},
            {{"status", status_},
             {"head", client_head_},
             {"body_bytes", written_body_},
             {"chunked", chunked_}});
      if (auto* recorder = emit_.recorder()) recorder->flush();
      client_.cork(false);
      return;
    }
    if (body_bytes > 0)
      emit_(Phase::Send, side_.req, trace::kServerInternals,
            "Proxy passes " + bytes_text(body_bytes) + " of the body on to the client (" +
                bytes_text(written_body_) + " so far)",
            {}, {{"body_bytes", body_bytes}, {"written_bytes", written_body_}});
  }
}

bool ResponsePipe::finish(const UpstreamReply& reply) {
  const bool answered = reply.outcome == UpstreamReply::Outcome::Answered;
  if (passing_) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (answered) {
        std::string rest = framed(held_);
        if (chunked_) rest += "0\r\n\r\n";
        queue_.push_back({std::move(rest), held_.size(), true});
      }
      upstream_done_ = true;
    }
    changed_.notify_all();
    writer_.join();
    bool gone;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      gone = client_gone_;
    }
    if (gone || !answered) {
      client_.cork(false);
      const std::string why =
          gone ? "the client stopped reading for " + std::to_string(config_.send_timeout_ms) +
                     " ms or went away; the response could not be sent"
               : reply.error + "; the client's response is cut short and its connection closed";
      emit_(Phase::Error, side_.req, trace::kOverview, "Proxy gives up sending: " + why,
            {{"proxy.state", "Idle"}}, {{"reason", why}});
      return false;
    }
    if (!side_.keep_alive) client_.shutdown_write();
    return side_.keep_alive;
  }

  if (!answered) {
    // ngx_http_upstream_process_request: the head is already the client's, so what was read
    // goes on and the connection closes ("upstream prematurely closed connection").
    client_.write_all(client_head_ + framed(held_), config_.send_timeout_ms);
    const std::string why = reply.error + "; the client gets the head and the " +
                            bytes_text(held_.size()) +
                            " read so far, and the proxy closes its connection";
    emit_(Phase::Error, side_.req, trace::kOverview, "Proxy cuts the response short: " + why,
          {{"proxy.state", "Idle"}}, {{"reason", why}});
    return false;
  }
  const bool has_body = !side_.head_only && !bodiless_status(status_);
  emit_(Phase::UpstreamResponse, side_.req, trace::kOverview,
        "Upstream answers " + status_text(status_, reason_) + "; " +
            (!has_body ? std::string("there is no body, so the proxy passes the head on")
             : config_.buffering
                 ? "its " + bytes_text(read_bytes_) + " of body never filled a " +
                       std::to_string(config_.buffer_size / 1024) +
                       " KiB proxy buffer, so the proxy held the whole response until the "
                       "upstream finished, and the upstream is free again"
                 : "the proxy passes its " + bytes_text(read_bytes_) +
                       " of body on (proxy_buffering off)"),
        {{"proxy.state", "Response buffered"}},
        {{"status", status_},
         {"reason", reason_},
         {"headers", nlohmann::json(upstream_headers_)},
         {"body", server::capped_for_trace(held_)},
         {"body_bytes", read_bytes_},
         {"buffering", config_.buffering},
         {"buffers", buffers_text()},
         {"case", "held whole"},
         {"sent", server::capped_for_trace(reply.sent)}});
  std::string payload = framed(held_);
  if (chunked_) payload += "0\r\n\r\n";
  client_.cork(true);
  const bool written = client_.write_all(client_head_, config_.send_timeout_ms) &&
                       client_.write_all(payload, config_.send_timeout_ms);
  if (written) {
    emit_(Phase::Send, side_.req, trace::kOverview,
          "Proxy sends " + status_text(status_, reason_) +
              " to the client: " + bytes_text(has_body ? held_.size() : 0) + " of body",
          {{"proxy.state", "Response sent to the client"}},
          {{"status", status_},
           {"head", client_head_},
           {"raw", server::capped_for_trace(client_head_, payload)},
           {"body_bytes", has_body ? held_.size() : 0},
           {"chunked", chunked_}});
  } else {
    const std::string why = "the client stopped reading for " +
                            std::to_string(config_.send_timeout_ms) +
                            " ms or went away; the response could not be sent";
    emit_(Phase::Error, side_.req, trace::kOverview, "Proxy gives up sending: " + why,
          {{"proxy.state", "Idle"}}, {{"reason", why}});
  }
  if (auto* recorder = emit_.recorder()) recorder->flush();
  client_.cork(false);
  if (!written) return false;
  if (!side_.keep_alive) client_.shutdown_write();
  return side_.keep_alive;
}

}  // namespace reqtrace::proxy
