#include "sim/flask/rule.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace reqtrace::flask {

bool is_identifier_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

namespace {

// `name` at `pos`, advancing past it; empty when there is none.
std::string_view take_name(std::string_view text, std::size_t& pos) {
  if (pos >= text.size() || !is_identifier_start(text[pos])) return {};
  const std::size_t start = pos;
  while (pos < text.size() && is_identifier_char(text[pos])) ++pos;
  return text.substr(start, pos - start);
}

bool match_pieces(const std::vector<RulePart::Piece>& pieces, std::size_t index,
                  std::string_view target, std::size_t pos, std::vector<std::string>& values,
                  bool& slash) {
  if (index == pieces.size()) return pos == target.size();  // the regex's \Z
  const RulePart::Piece& piece = pieces[index];
  switch (piece.kind) {
    case RulePart::Piece::Kind::Static:
      if (!target.substr(pos).starts_with(piece.text)) return false;
      return match_pieces(pieces, index + 1, target, pos + piece.text.size(), values, slash);
    case RulePart::Piece::Kind::OptionalSlash:
      // (?<!/)(/?): a slash may follow, but the variable before it may not end in one.
      if (pos > 0 && target[pos - 1] == '/') return false;
      if (pos < target.size() && target[pos] == '/' &&
          match_pieces(pieces, index + 1, target, pos + 1, values, slash)) {
        slash = true;
        return true;
      }
      slash = false;
      return match_pieces(pieces, index + 1, target, pos, values, slash);
    case RulePart::Piece::Kind::Converter: {
      std::vector<std::size_t> ends;
      piece.converter->match_ends(target, pos, ends);
      for (const std::size_t end : ends) {
        values.emplace_back(target.substr(pos, end - pos));
        if (match_pieces(pieces, index + 1, target, end, values, slash)) return true;
        values.pop_back();
      }
      return false;
    }
  }
  return false;
}

}  // namespace

bool RulePart::match(std::string_view target, std::vector<std::string>& values, bool& slash) const {
  slash = false;
  return match_pieces(pieces, 0, target, 0, values, slash);
}

Rule::Rule(std::string rule, std::string endpoint, std::vector<std::string> methods,
           bool strict_slashes, bool merge_slashes)
    : rule_(std::move(rule)),
      endpoint_(std::move(endpoint)),
      strict_slashes_(strict_slashes),
      merge_slashes_(merge_slashes) {
  if (!rule_.starts_with("/"))
    throw std::invalid_argument("URL rule '" + rule_ + "' must start with a slash.");
  for (std::string method : methods) {
    for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    methods_.insert(std::move(method));
  }
  // A HEAD request is a GET without the body, so a rule that serves GET serves HEAD.
  if (methods_.contains("GET")) methods_.insert("HEAD");

  std::string text = rule_;
  if (merge_slashes_) {
    std::string merged;
    for (const char c : text)
      if (c != '/' || merged.empty() || merged.back() != '/') merged.push_back(c);
    text = std::move(merged);
  }
  parse(text);
}

bool Rule::accepts(std::string_view method) const {
  return methods_.empty() || methods_.contains(std::string(method));
}

std::vector<std::string> Rule::arguments() const {
  std::vector<std::string> names;
  for (const auto& [name, converter] : converters_) names.push_back(name);
  return names;
}

// Werkzeug's Rule._parse_rule: walk the rule's slashes, static text and
// <converter(args):variable> pieces, and cut it into parts at each slash, except
// after a path converter, whose part runs on to the end.
void Rule::parse(std::string_view rule) {
  RulePart part;
  const auto finish_part = [&] {
    const int statics = static_cast<int>(part.weight.static_weights.size());
    const int arguments = static_cast<int>(part.weight.argument_weights.size());
    part.weight.number_static_weights = -statics;
    part.weight.number_argument_weights = -arguments;
    if (!part.is_static) part.content += "\\Z";
    parts_.push_back(std::move(part));
    part = RulePart();
  };
  const auto add_static = [&](std::string_view text) {
    part.weight.static_weights.emplace_back(static_cast<int>(part.weight.static_weights.size()),
                                            -static_cast<int>(text.size()));
    part.content += part.is_static ? std::string(text) : regex_escape(text);
    if (!part.pieces.empty() && part.pieces.back().kind == RulePart::Piece::Kind::Static)
      part.pieces.back().text += text;
    else
      part.pieces.push_back({RulePart::Piece::Kind::Static, std::string(text), nullptr});
  };

  std::size_t pos = 0;
  while (pos < rule.size()) {
    if (rule[pos] == '/') {
      ++pos;
      if (part.final) {
        // After a path converter a slash is just more text for the same part.
        part.content += "/";
        if (!part.pieces.empty() && part.pieces.back().kind == RulePart::Piece::Kind::Static)
          part.pieces.back().text += "/";
        else
          part.pieces.push_back({RulePart::Piece::Kind::Static, "/", nullptr});
      } else {
        finish_part();
      }
      continue;
    }
    if (rule[pos] != '<') {
      const std::size_t end = rule.find_first_of("</", pos);
      const std::size_t stop = end == std::string_view::npos ? rule.size() : end;
      add_static(rule.substr(pos, stop - pos));
      pos = stop;
      continue;
    }

    // <variable>, <converter:variable> or <converter(arguments):variable>
    const auto malformed = [&] {
      return std::invalid_argument("malformed url rule: '" + rule_ + "'");
    };
    std::size_t cursor = pos + 1;
    std::string_view converter_name = "default";
    std::string_view arguments;
    std::string_view variable = take_name(rule, cursor);
    if (variable.empty()) throw malformed();
    if (cursor < rule.size() && (rule[cursor] == '(' || rule[cursor] == ':')) {
      converter_name = variable;
      if (rule[cursor] == '(') {
        const std::size_t close = rule.find(')', cursor);
        if (close == std::string_view::npos) throw malformed();
        arguments = rule.substr(cursor + 1, close - cursor - 1);
        cursor = close + 1;
      }
      if (cursor >= rule.size() || rule[cursor] != ':') throw malformed();
      ++cursor;
      variable = take_name(rule, cursor);
      if (variable.empty()) throw malformed();
    }
    if (cursor >= rule.size() || rule[cursor] != '>') throw malformed();
    pos = cursor + 1;

    for (const auto& [name, existing] : converters_)
      if (name == variable)
        throw std::invalid_argument("variable name '" + name + "' used twice in url rule '" +
                                    rule_ + "'");
    auto converter = make_converter(converter_name, parse_converter_args(arguments));
    if (part.is_static) part.content = regex_escape(part.content);
    part.is_static = false;
    if (!converter->part_isolating()) part.final = true;
    part.content += "(" + converter->regex() + ")";
    part.weight.argument_weights.push_back(converter->weight());
    part.pieces.push_back({RulePart::Piece::Kind::Converter, {}, converter.get()});
    converters_.emplace_back(std::string(variable), std::move(converter));
  }

  // A path converter followed by a final slash: make the slash optional and add
  // an empty part after it, so that a request without it can be redirected.
  const bool suffixed = part.final && !part.content.empty() && part.content.back() == '/';
  if (suffixed) {
    part.content.pop_back();
    part.content += "(?<!/)(/?)";
    auto& last = part.pieces.back();  // the static text ending in the slash
    last.text.pop_back();
    if (last.text.empty()) part.pieces.pop_back();
    part.pieces.push_back({RulePart::Piece::Kind::OptionalSlash, {}, nullptr});
    part.suffixed = true;
  }
  finish_part();
  if (suffixed) {
    RulePart empty;  // static "", weighted as the part before it, as Werkzeug does
    empty.weight = parts_.back().weight;
    parts_.push_back(std::move(empty));
  }
}

}  // namespace reqtrace::flask
