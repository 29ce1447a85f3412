// The uwsgi packet: the binary framing nginx's uwsgi_pass uses to hand a request's CGI vars on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reqtrace::uwsgi {

// The vars in the order they travel; a vector, not a map, because order and repeats are part
// of what a student sees in the raw packet.
using Vars = std::vector<std::pair<std::string, std::string>>;

// modifier1 0 means "a WSGI request" (uwsgi-docs, "The uwsgi Protocol").
inline constexpr std::uint8_t kWsgiRequest = 0;
// The header: modifier1 (u8), datasize (u16 little-endian), modifier2 (u8).
inline constexpr std::size_t kHeaderSize = 4;
// datasize is a u16, so the vars block, and each key and value, fit in 65535 bytes.
inline constexpr std::size_t kMaxBlockSize = 65535;

// The header and the vars block; the request body follows it on the stream, unframed.
// Throws std::length_error when the vars block exceeds 65535 bytes or a key/value exceeds 65535.
std::string encode(const Vars& vars, std::uint8_t modifier1 = 0, std::uint8_t modifier2 = 0);

struct Packet {
  std::uint8_t modifier1 = 0;
  std::uint8_t modifier2 = 0;
  Vars vars;
};

// The value of the first var named key, or nullptr.
const std::string* find_var(const Vars& vars, std::string_view key);

// Reads one packet from bytes as they arrive. It takes only the header and the vars block,
// never the body after it, so the caller knows where the body starts.
class PacketDecoder {
 public:
  enum class State { NeedMore, Complete, Failed };

  // Consumes what belongs to the packet from bytes and returns how many bytes it took; bytes
  // past the end of the vars block are left for the caller. Does nothing once done.
  std::size_t feed(std::string_view bytes);

  State state() const { return state_; }
  bool complete() const { return state_ == State::Complete; }
  bool failed() const { return state_ == State::Failed; }
  // The packet once complete.
  const Packet& packet() const { return packet_; }
  // Why decoding failed: where in the packet and what was expected there.
  const std::string& error() const { return error_; }
  // The datasize field, once the header has arrived.
  std::size_t datasize() const { return datasize_; }
  // The header and vars bytes taken so far, for showing the packet as it was sent.
  const std::string& raw() const { return raw_; }

 private:
  void decode_vars();
  void fail(std::string reason);

  State state_ = State::NeedMore;
  std::string raw_;
  std::size_t datasize_ = 0;
  Packet packet_;
  std::string error_;
};

// Decodes a vars block (the bytes after the header). On failure returns false and sets error.
bool decode_vars(std::string_view block, Vars& vars, std::string& error);

}  // namespace reqtrace::uwsgi
