#include "sim/proxy/static_path.hpp"

#include "sim/http/percent_coding.hpp"
#include "sim/http/syntax.hpp"

namespace reqtrace::proxy {
namespace {

StaticPath refuse(int status, std::string reason) {
  StaticPath out;
  out.status = status;
  out.reason = std::move(reason);
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    unsigned min_second = 0x80, max_second = 0xBF;  // the second byte's range narrows overlongs
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) min_second = 0xA0;  // below: an overlong 3-byte form
      if (lead == 0xED) max_second = 0x9F;  // above: a UTF-16 surrogate
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) min_second = 0x90;  // below: an overlong 4-byte form
      if (lead == 0xF4) max_second = 0x8F;  // above: beyond U+10FFFF
    } else {
      return false;  // 0x80-0xC1 (continuation or overlong 2-byte lead) and 0xF5-0xFF
    }
    if (i + length > text.size()) return false;
    if (byte(i + 1) < min_second || byte(i + 1) > max_second) return false;
    for (std::size_t k = 2; k < length; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return false;
    i += length;
  }
  return true;
}

StaticPath static_path(std::string_view path, std::string_view prefix) {
  bool malformed = false;
  std::string decoded = http::percent_decode(path.substr(prefix.size()), &malformed);
  if (malformed) return refuse(400, "a \"%\" in the path is not followed by two hex digits");
  for (char c : decoded) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0)
      return refuse(400, "the path holds a NUL byte (%00), which would end a C string");
    if (byte < 0x20 || byte == 0x7F) return refuse(400, "the path holds a control byte");
  }
  if (!is_valid_utf8(decoded))
    return refuse(400,
                  "the decoded path is not valid UTF-8 (an overlong form like %c0%ae is a "
                  "disguised \".\")");
  if (decoded.find('\\') != std::string::npos)
    return refuse(403, "the path holds a backslash, a directory separator on Windows");
  StaticPath out;
  for (std::size_t start = 0; start <= decoded.size();) {
    std::size_t slash = decoded.find('/', start);
    if (slash == std::string::npos) slash = decoded.size();
    const std::string_view segment = std::string_view(decoded).substr(start, slash - start);
    const bool last = slash == decoded.size();
    // Only the last segment may be empty: "css/" names a directory.
    if (segment.empty() && !last)
      return refuse(403, "the path has an empty segment (\"//\" or an absolute path after " +
                             std::string(prefix) + ")");
    if (segment == "..") return refuse(403, "the path climbs out with \"..\"");
    if (segment == ".") return refuse(403, "the path has a \".\" segment");
    if (!segment.empty() && segment.front() == '.')
      return refuse(403, "hidden files (names starting with \".\") are not served");
    start = slash + 1;
  }
  out.relative = std::move(decoded);
  return out;
}

}  // namespace reqtrace::proxy
