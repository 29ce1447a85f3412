#include "sim/uwsgi/packet.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/http/syntax.hpp"

namespace reqtrace::uwsgi {

namespace {

void put_u16(std::string& out, std::size_t n) {
  out.push_back(static_cast<char>(n & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
}

std::size_t get_u16(std::string_view bytes, std::size_t at) {
  return static_cast<std::size_t>(static_cast<unsigned char>(bytes[at])) |
         static_cast<std::size_t>(static_cast<unsigned char>(bytes[at + 1])) << 8;
}

// Reads one u16-prefixed string of the vars block at pos; what names the field in errors.
bool read_sized(std::string_view block, std::size_t& pos, const char* what, std::string& out,
                std::string& error) {
  if (block.size() - pos < 2) {
    error = std::string("truncated ") + what + " size at byte " + std::to_string(pos) +
            " of the vars block: 2 bytes expected, " + std::to_string(block.size() - pos) + " left";
    return false;
  }
  const std::size_t size = get_u16(block, pos);
  if (block.size() - pos - 2 < size) {
    error = std::string(what) + " size " + std::to_string(size) + " at byte " +
            std::to_string(pos) + " runs past the end of the vars block (" +
            std::to_string(block.size()) + " bytes, " + std::to_string(block.size() - pos - 2) +
            " left)";
    return false;
  }
  out.assign(block.substr(pos + 2, size));
  pos += 2 + size;
  return true;
}

}  // namespace

std::string encode(const Vars& vars, std::uint8_t modifier1, std::uint8_t modifier2) {
  std::string block;
  for (const auto& [key, value] : vars) {
    if (key.size() > kMaxBlockSize) throw std::length_error("uwsgi var name over 65535 bytes");
    if (value.size() > kMaxBlockSize) {
      throw std::length_error("uwsgi var " + key + " has a value over 65535 bytes");
    }
    put_u16(block, key.size());
    block += key;
    put_u16(block, value.size());
    block += value;
  }
  if (block.size() > kMaxBlockSize) {
    throw std::length_error("uwsgi vars block of " + std::to_string(block.size()) +
                            " bytes exceeds 65535");
  }
  std::string packet;
  packet.reserve(kHeaderSize + block.size());
  packet.push_back(static_cast<char>(modifier1));
  put_u16(packet, block.size());
  packet.push_back(static_cast<char>(modifier2));
  packet += block;
  return packet;
}

const std::string* find_var(const Vars& vars, std::string_view key) {
  for (const auto& [name, value] : vars) {
    if (name == key) return &value;
  }
  return nullptr;
}

bool decode_vars(std::string_view block, Vars& vars, std::string& error) {
  std::size_t pos = 0;
  while (pos < block.size()) {
    const std::size_t key_at = pos;
    std::string key;
    std::string value;
    if (!read_sized(block, pos, "key", key, error)) return false;
    if (key.empty()) {
      error = "empty key at byte " + std::to_string(key_at) + " of the vars block";
      return false;
    }
    if (!read_sized(block, pos, ("value of " + http::escape_bytes(key, 60)).c_str(), value, error))
      return false;
    vars.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

std::size_t PacketDecoder::feed(std::string_view bytes) {
  if (state_ != State::NeedMore) return 0;
  std::size_t taken = 0;
  if (raw_.size() < kHeaderSize) {
    taken = std::min(bytes.size(), kHeaderSize - raw_.size());
    raw_.append(bytes.substr(0, taken));
    if (raw_.size() < kHeaderSize) return taken;
    packet_.modifier1 = static_cast<std::uint8_t>(raw_[0]);
    datasize_ = get_u16(raw_, 1);
    packet_.modifier2 = static_cast<std::uint8_t>(raw_[3]);
  }
  const std::size_t want = kHeaderSize + datasize_ - raw_.size();
  const std::size_t more = std::min(bytes.size() - taken, want);
  raw_.append(bytes.substr(taken, more));
  taken += more;
  if (raw_.size() == kHeaderSize + datasize_) decode_vars();
  return taken;
}

void PacketDecoder::decode_vars() {
  std::string reason;
  if (!uwsgi::decode_vars(std::string_view(raw_).substr(kHeaderSize), packet_.vars, reason)) {
    fail(std::move(reason));
    return;
  }
  state_ = State::Complete;
}

void PacketDecoder::fail(std::string reason) {
  error_ = std::move(reason);
  packet_.vars.clear();
  state_ = State::Failed;
}

}  // namespace reqtrace::uwsgi
