#include "scenario/json_lexer.hpp"

#include <cstdint>

namespace reqtrace::scenario::json_lexer {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_punct(char c) {
  return c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',';
}

std::size_t comment_end(std::string_view text, std::size_t pos) {
  if (pos + 1 >= text.size()) return text.size();
  if (text[pos + 1] == '/') {
    std::size_t newline = text.find('\n', pos + 2);
    return newline == std::string_view::npos ? text.size() : newline;
  }
  if (text[pos + 1] == '*') {
    std::size_t close = text.find("*/", pos + 2);
    return close == std::string_view::npos ? text.size() : close + 2;
  }
  return pos + 2;  // not a comment at all; the parser fails on it, and this covers both bytes
}

std::size_t string_end(std::string_view text, std::size_t pos) {
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\')
      ++i;
    else if (text[i] == '"')
      return i + 1;
  }
  return text.size();
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Four hex digits at `pos`, or nothing when they are not there.
bool read_hex4(std::string_view s, std::size_t pos, std::uint32_t& out) {
  if (pos + 4 > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + 4; ++i) {
    char c = s[i];
    out <<= 4;
    if (c >= '0' && c <= '9')
      out |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      out |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      out |= static_cast<std::uint32_t>(c - 'A' + 10);
    else
      return false;
  }
  return true;
}

}  // namespace

std::size_t bom_length(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

std::size_t skip_blank(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    if (is_space(text[pos]))
      ++pos;
    else if (text[pos] == '/' && pos + 1 < text.size() &&
             (text[pos + 1] == '/' || text[pos + 1] == '*'))
      pos = comment_end(text, pos);
    else
      break;
  }
  return pos;
}

Token read_token(std::string_view text, std::size_t pos) {
  char c = text[pos];
  if (is_punct(c)) return {TokenKind::Punct, pos, pos + 1};
  if (c == '"') return {TokenKind::String, pos, string_end(text, pos)};
  if (c == '/') return {TokenKind::Comment, pos, comment_end(text, pos)};
  std::size_t end = pos;
  while (end < text.size() && !is_space(text[end]) && !is_punct(text[end]) && text[end] != '"' &&
         text[end] != '/')
    ++end;
  return {TokenKind::Word, pos, end};
}

std::size_t skip_value(std::string_view text, std::size_t pos) {
  int depth = 0;
  while (pos < text.size()) {
    Token token = read_token(text, pos);
    pos = token.end;
    if (token.kind == TokenKind::Punct) {
      char c = text[token.begin];
      if (c == '{' || c == '[')
        ++depth;
      else if (c == '}' || c == ']')
        --depth;
    }
    if (depth <= 0) return pos;
    pos = skip_blank(text, pos);
  }
  return pos;
}

std::string decode_string(std::string_view quoted) {
  std::string_view s = quoted.substr(1);  // after the opening quote
  if (!s.empty() && s.back() == '"') s.remove_suffix(1);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char e = s[++i];
    switch (e) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        std::uint32_t cp = 0;
        if (!read_hex4(s, i + 1, cp)) {
          out += e;
          break;
        }
        i += 4;
        // A high surrogate followed by \uDC00..\uDFFF is one code point, as the parser reads it.
        std::uint32_t low = 0;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < s.size() && s[i + 1] == '\\' &&
            s[i + 2] == 'u' && read_hex4(s, i + 3, low) && low >= 0xDC00 && low <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default:
        out += e;  // \" \\ \/
    }
  }
  return out;
}

}  // namespace reqtrace::scenario::json_lexer
