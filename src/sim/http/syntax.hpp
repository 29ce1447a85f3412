// The few character classes and list rules of RFC 9110 that the parser and writer share.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace reqtrace::http {

// tchar, RFC 9110 section 5.6.2: what methods, header names and codings are made of.
constexpr bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

constexpr bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

// OWS is spaces and tabs only; other whitespace is a syntax error, not padding.
constexpr bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

constexpr std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// ASCII only: header names are ASCII, and locale-aware folding has let attackers turn
// non-ASCII bytes into ASCII ones before.
constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// The value of a hex digit, or -1 for any other byte.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Bytes from the wire shown inside a message: control bytes, non-ASCII bytes and the backslash
// as \xHH, cut after `max_shown` with "...", so hostile bytes cannot break a log line or the
// terminal they are shown in.
inline std::string escape_bytes(std::string_view bytes,
                                std::size_t max_shown = std::string_view::npos) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < max_shown; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x20 || c >= 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (bytes.size() > max_shown) out += "...";
  return out;
}

// Calls f on each element of a comma-separated list (RFC 9110 section 5.6.1), trimmed of OWS.
// Empty elements are passed on too: whether they are an error is the caller's choice.
template <class F>
void for_each_list_element(std::string_view list, F f) {
  while (true) {
    std::size_t comma = list.find(',');
    f(trim_ows(list.substr(0, comma)));
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace reqtrace::http
