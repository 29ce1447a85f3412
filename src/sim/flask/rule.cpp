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

// One piece of a rule as Werkzeug's _part_re reads it: static text, slashes included, or a
// variable "<converter(arguments):variable>"; or a "<" that starts neither, and why.
struct Token {
  enum class Kind { Static, Variable, Malformed } kind = Kind::Static;
  std::string_view text;                   // as written: the static text, or the whole "<...>"
  std::string_view converter = "default";  // Variable: the converter it names, if any
  std::string_view arguments;              // Variable: between the converter's parentheses
  std::string_view variable;               // Variable: its name
  std::string error;                       // Malformed: what was expected
};

Token token_of(Token::Kind kind, std::string_view text) {
  Token token;
  token.kind = kind;
  token.text = text;
  return token;
}

// The variable whose "<" is at `open`; `end` is set past it. A malformed one ends at the next
// ">", so the pieces after it are still read.
Token read_variable(std::string_view rule, std::size_t open, std::size_t& end) {
  const std::size_t close = rule.find('>', open);
  end = close == std::string_view::npos ? rule.size() : close + 1;
  const auto malformed = [&](std::string_view expected) {
    Token token = token_of(Token::Kind::Malformed, rule.substr(open, end - open));
    token.error = "in " + quoted(token.text) + ": " + std::string(expected);
    return token;
  };
  if (close == std::string_view::npos) {
    Token token = token_of(Token::Kind::Malformed, rule.substr(open));
    token.error = quoted(token.text) + " is not closed; expected '>' to end the variable";
    return token;
  }

  Token token = token_of(Token::Kind::Variable, {});
  std::size_t cursor = open + 1;
  std::size_t name_at = cursor;
  std::string_view name = take_name(rule, cursor);
  if (!name.empty() && cursor < close && (rule[cursor] == '(' || rule[cursor] == ':')) {
    token.converter = name;
    if (rule[cursor] == '(') {
      const std::size_t paren = rule.find(')', cursor);
      if (paren == std::string_view::npos || paren > close)
        return malformed("expected ')' to close the converter's arguments");
      token.arguments = rule.substr(cursor + 1, paren - cursor - 1);
      cursor = paren + 1;
      if (cursor >= close || rule[cursor] != ':')
        return malformed("expected ':' and the variable's name after the converter's arguments");
    }
    name_at = ++cursor;
    name = take_name(rule, cursor);
  }
  if (name.empty() || cursor != close) {
    std::string_view got = rule.substr(name_at, close - name_at);
    return malformed("expected a variable name (letters, digits and _, not starting with a digit)" +
                     (got.empty() ? std::string() : ", got " + quoted(got)));
  }
  token.variable = name;
  token.text = rule.substr(open, end - open);
  return token;
}

std::vector<Token> tokenize(std::string_view rule) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < rule.size()) {
    const std::size_t open = rule.find('<', pos);
    if (open != pos) tokens.push_back(token_of(Token::Kind::Static, rule.substr(pos, open - pos)));
    if (open == std::string_view::npos) break;
    tokens.push_back(read_variable(rule, open, pos));
  }
  return tokens;
}

std::string must_start_with_slash(std::string_view rule) {
  return "expected a rule starting with \"/\", got " + quoted(rule);
}

std::string used_twice(std::string_view variable) {
  return "variable " + quoted(variable) +
         " appears twice; each variable of a rule needs its own name";
}

// The converter a variable names, built with its arguments; the error names the variable.
std::unique_ptr<BaseConverter> converter_for(const Token& token) {
  try {
    return make_converter(token.converter, parse_converter_args(token.arguments));
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument("in " + quoted(token.text) + ": " + error.what());
  }
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
  if (!rule_.starts_with("/")) throw std::invalid_argument(must_start_with_slash(rule_));
  for (std::string& method : methods) {
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
  // A slash after a path converter: static text of the same part, but not a static weight.
  const auto add_slash = [&] {
    part.content += "/";
    if (!part.pieces.empty() && part.pieces.back().kind == RulePart::Piece::Kind::Static)
      part.pieces.back().text += "/";
    else
      part.pieces.push_back({RulePart::Piece::Kind::Static, "/", nullptr});
  };

  for (const Token& token : tokenize(rule)) {
    if (token.kind == Token::Kind::Malformed) throw std::invalid_argument(token.error);
    if (token.kind == Token::Kind::Static) {
      // Slashes cut the rule into parts; after a path converter a slash is just more text.
      std::string_view text = token.text;
      for (std::size_t slash = text.find('/'); !text.empty(); slash = text.find('/')) {
        if (slash != 0) {
          add_static(text.substr(0, slash));
          if (slash == std::string_view::npos) break;
        }
        if (part.final)
          add_slash();
        else
          finish_part();
        text.remove_prefix(slash + 1);
      }
      continue;
    }
    auto converter = converter_for(token);  // first, as check_rule reports it first
    for (const auto& [name, existing] : converters_)
      if (name == token.variable) throw std::invalid_argument(used_twice(name));
    if (part.is_static) part.content = regex_escape(part.content);
    part.is_static = false;
    if (!converter->part_isolating()) part.final = true;
    part.content += "(" + converter->regex() + ")";
    part.weight.argument_weights.push_back(converter->weight());
    part.pieces.push_back({RulePart::Piece::Kind::Converter, {}, converter.get()});
    converters_.emplace_back(std::string(token.variable), std::move(converter));
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

RuleCheck check_rule(std::string_view rule) {
  RuleCheck check;
  if (!rule.starts_with("/")) {
    check.errors.push_back(must_start_with_slash(rule));
    return check;
  }
  for (const Token& token : tokenize(rule)) {
    if (token.kind == Token::Kind::Malformed) check.errors.push_back(token.error);
    if (token.kind != Token::Kind::Variable) continue;
    try {
      converter_for(token);
    } catch (const std::invalid_argument& error) {
      check.errors.emplace_back(error.what());
      continue;
    }
    const std::string variable(token.variable);
    if (std::find(check.arguments.begin(), check.arguments.end(), variable) !=
        check.arguments.end())
      check.errors.push_back(used_twice(variable));
    else
      check.arguments.push_back(variable);
  }
  if (!check.errors.empty()) check.arguments.clear();
  return check;
}

}  // namespace reqtrace::flask
