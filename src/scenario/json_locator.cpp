#include "scenario/json_locator.hpp"

#include <algorithm>
#include <string>

#include "scenario/json_lexer.hpp"

namespace reqtrace::scenario {
namespace {

// RFC 6901: "~1" is "/" and "~0" is "~".
std::string unescape_reference(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

std::optional<std::size_t> array_index(const std::string& token) {
  if (token.empty() || token.size() > 18) return std::nullopt;
  if (token.size() > 1 && token[0] == '0') return std::nullopt;  // RFC 6901 forbids leading zeros
  std::size_t index = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index;
}

}  // namespace

JsonLocator::JsonLocator(std::string_view text) : text_(text) {
  line_starts_.push_back(json_lexer::bom_length(text));
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts_.push_back(i + 1);
}

TextPosition JsonLocator::position_of(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line = static_cast<std::size_t>(after - line_starts_.begin());
  std::size_t start = line == 0 ? 0 : line_starts_[line - 1];
  if (line == 0) line = 1;  // only inside a byte order mark
  int column = 1;
  for (std::size_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;  // not a continuation
  return {static_cast<int>(line), column};
}

std::optional<TextPosition> JsonLocator::find_value(std::string_view pointer) const {
  auto place = find(pointer);
  if (!place) return std::nullopt;
  return position_of(place->value);
}

std::optional<TextPosition> JsonLocator::find_key(std::string_view pointer) const {
  auto place = find(pointer);
  if (!place || !place->key) return std::nullopt;
  return position_of(*place->key);
}

std::optional<JsonLocator::Place> JsonLocator::find(std::string_view pointer) const {
  using json_lexer::skip_blank;
  Place place{skip_blank(text_, json_lexer::bom_length(text_)), std::nullopt};
  if (pointer.empty()) return place;
  if (pointer.front() != '/') return std::nullopt;

  std::size_t from = 1;
  while (true) {
    std::size_t slash = pointer.find('/', from);
    std::string token = unescape_reference(pointer.substr(
        from, slash == std::string_view::npos ? std::string_view::npos : slash - from));
    std::size_t pos = place.value;
    if (pos >= text_.size()) return std::nullopt;

    if (text_[pos] == '{') {
      std::optional<Place> found;
      pos = skip_blank(text_, pos + 1);
      while (pos < text_.size() && text_[pos] != '}') {
        if (text_[pos] == ',') {
          pos = skip_blank(text_, pos + 1);
          continue;
        }
        if (text_[pos] != '"') return std::nullopt;
        json_lexer::Token key = json_lexer::read_token(text_, pos);
        pos = skip_blank(text_, key.end);
        if (pos < text_.size() && text_[pos] == ':') pos = skip_blank(text_, pos + 1);
        // Keep looking after a match: the parser keeps the last of duplicate keys.
        if (json_lexer::decode_string(text_.substr(key.begin, key.end - key.begin)) == token)
          found = Place{pos, key.begin};
        pos = skip_blank(text_, json_lexer::skip_value(text_, pos));
      }
      if (!found) return std::nullopt;
      place = *found;
    } else if (text_[pos] == '[') {
      auto index = array_index(token);
      if (!index) return std::nullopt;
      std::size_t seen = 0;
      pos = skip_blank(text_, pos + 1);
      while (true) {
        if (pos >= text_.size() || text_[pos] == ']') return std::nullopt;
        if (text_[pos] == ',') {
          pos = skip_blank(text_, pos + 1);
          continue;
        }
        if (seen == *index) break;
        ++seen;
        pos = skip_blank(text_, json_lexer::skip_value(text_, pos));
      }
      place = Place{pos, std::nullopt};
    } else {
      return std::nullopt;  // a scalar has no children
    }

    if (slash == std::string_view::npos) return place;
    from = slash + 1;
  }
}

}  // namespace reqtrace::scenario
