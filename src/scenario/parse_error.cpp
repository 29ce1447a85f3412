#include "scenario/parse_error.hpp"

#include <optional>

#include "scenario/json_lexer.hpp"

namespace reqtrace::scenario {
namespace {

using json_lexer::Token;
using json_lexer::TokenKind;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The tokens around `offset`: the one covering it and the last code token that ends at or
// before it. Comments are tokens here, since the parser may have stopped inside one.
struct Around {
  std::optional<Token> at;
  std::optional<Token> before;  // never a comment
};

Around tokens_around(std::string_view text, std::size_t offset) {
  Around around;
  std::size_t pos = json_lexer::bom_length(text);
  while (true) {
    while (pos < text.size() &&
           (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
    if (pos >= text.size() || pos > offset) return around;
    Token token = json_lexer::read_token(text, pos);
    // A comment left open runs to the end, where the parser stops: it covers that offset too.
    bool open_comment = token.kind == TokenKind::Comment && token.end == text.size();
    if (offset < token.end || (open_comment && offset >= text.size())) {
      around.at = token;
      return around;
    }
    if (token.kind != TokenKind::Comment) around.before = token;
    pos = token.end;
  }
}

// Long tokens (a huge string) are cut so the message stays one readable line.
std::string quote_token(std::string_view text, const Token& token) {
  constexpr std::size_t kMax = 40;
  std::string_view s = text.substr(token.begin, token.end - token.begin);
  if (s.size() <= kMax) return std::string(s);
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole characters
  return std::string(s.substr(0, cut)) + "...";
}

std::string after(std::string_view s, std::string_view marker) {
  std::size_t at = s.find(marker);
  return at == std::string_view::npos ? std::string() : std::string(s.substr(at + marker.size()));
}

// The pieces of nlohmann's "syntax error while parsing <context> - <detail>[; expected <x>]".
struct Complaint {
  std::string context;     // "object", "array", "object key", "object separator", "value"
  std::string lexer;       // the lexer's own message when it failed inside a token
  std::string unexpected;  // the token type the parser did not expect, otherwise
  std::string expected;
};

std::optional<Complaint> split(std::string_view what) {
  constexpr std::string_view kSyntax = "syntax error while parsing ";
  std::size_t at = what.find(kSyntax);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = what.substr(at + kSyntax.size());
  std::size_t dash = rest.find(" - ");
  if (dash == std::string_view::npos) return std::nullopt;
  Complaint complaint;
  complaint.context = std::string(rest.substr(0, dash));
  rest = rest.substr(dash + 3);

  constexpr std::string_view kLastRead = "; last read: '";
  std::size_t last_read = rest.find(kLastRead);
  if (last_read != std::string_view::npos) {
    complaint.lexer = std::string(rest.substr(0, last_read));
    complaint.expected = after(rest.substr(last_read), "'; expected ");
    return complaint;
  }
  std::size_t expected = rest.rfind("; expected ");
  std::string_view detail = rest.substr(0, expected);
  if (starts_with(detail, "unexpected ")) complaint.unexpected = std::string(detail.substr(11));
  if (expected != std::string_view::npos)
    complaint.expected = std::string(rest.substr(expected + 11));
  return complaint;
}

// What the parser wanted, as a person would say it.
std::string expectation(const Complaint& complaint) {
  const std::string& context = complaint.context;
  const std::string& expected = complaint.expected;
  if (context == "object" && expected == "'}'") return "expected ',' or '}' after an object member";
  if (context == "array" && expected == "']'") return "expected ',' or ']' after an array element";
  if (context == "object key") return "expected a key in double quotes";
  if (context == "object separator") return "expected ':' after an object key";
  if (expected == "end of input") return "expected the end of the file after the top-level value";
  if (starts_with(expected, "'[', '{'")) return "expected a value";
  return "syntax error while parsing " + context +
         (expected.empty() ? "" : "; expected " + expected);
}

ParseFailure unexpected_token(std::string_view text, const Complaint& complaint, std::size_t last) {
  Around around = tokens_around(text, last);
  std::string message = expectation(complaint);
  if (complaint.unexpected == "end of input") {
    // Point just after the last token, where something is missing, not at the file's very end.
    std::size_t offset = around.before ? around.before->end : json_lexer::bom_length(text);
    if (!around.before) return {offset, "expected a JSON object, got an empty file"};
    return {offset, message + ", got the end of the file"};
  }
  if (!around.at) return {last, message + ", got " + complaint.unexpected};
  std::string got = quote_token(text, *around.at);
  if (around.at->kind != TokenKind::Punct) return {around.at->begin, message + ", got " + got};
  message += ", got '" + got + "'";
  // A key wanted where '}' stands, or a value where ']' stands, means a comma came before.
  bool closes = (got == "}" && complaint.context == "object key") ||
                (got == "]" && complaint.context == "value");
  if (closes) message += " (JSON allows no comma before '" + got + "')";
  return {around.at->begin, message};
}

ParseFailure lexer_error(std::string_view text, const Complaint& complaint, std::size_t last) {
  Around around = tokens_around(text, last);
  // The lexer stops at the first byte it cannot take, which may be just after a bad word
  // ("tru}"): then the word is the culprit.
  std::optional<Token> token = around.at;
  if (token && token->kind == TokenKind::Punct) token.reset();
  if (!token && around.before && around.before->end == last) token = around.before;
  std::size_t offset = token ? token->begin : last;
  std::string got = token ? quote_token(text, *token) : std::string();
  const std::string& lexer = complaint.lexer;

  if (lexer == "invalid literal") {
    if (complaint.context == "object key" || complaint.expected == "end of input")
      return {offset, expectation(complaint) + ", got " + got};
    return {offset,
            "expected a value (an object, array, string in double quotes, number, true, "
            "false or null), got " +
                got};
  }
  if (starts_with(lexer, "invalid number; ")) {
    std::string expected = lexer.substr(16);  // "expected digit after '-'", "expected '+', ..."
    for (std::size_t at = expected.find("digit"); at != std::string::npos;
         at = expected.find("digit", at + 7))
      expected.insert(at, "a ");
    return {offset, "invalid number \"" + got + "\"; " + expected};
  }
  if (starts_with(lexer, "invalid string: forbidden character after backslash"))
    return {last,
            "invalid escape in a string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r "
            "\\t \\uXXXX"};
  if (lexer == "invalid string: missing closing quote")
    return {offset, "unterminated string; expected a closing '\"'"};
  if (starts_with(lexer, "invalid string: control character U+000A"))
    return {offset, "unterminated string; a line break inside a string must be written \\n"};
  if (lexer == "invalid comment; missing closing '*/'")
    return {offset, "unterminated comment; expected '*/'"};
  if (starts_with(lexer, "invalid comment; expecting '/' or '*' after '/'"))
    return {offset, "expected '/' or '*' after '/' to start a comment"};
  // Other string problems (a tab, a bad unicode escape, broken UTF-8) are about one character.
  if (token && token->kind == TokenKind::String) offset = last;
  return {offset, lexer};
}

// nlohmann reports a number too large for a double without a position, but with the number.
ParseFailure number_overflow(std::string_view text, std::string_view what) {
  std::string number = after(what, "number overflow parsing '");
  if (!number.empty() && number.back() == '\'') number.pop_back();
  std::size_t offset = 0;
  std::size_t pos = json_lexer::skip_blank(text, json_lexer::bom_length(text));
  while (pos < text.size()) {
    Token token = json_lexer::read_token(text, pos);
    if (token.kind == TokenKind::Word &&
        text.substr(token.begin, token.end - token.begin) == number) {
      offset = token.begin;
      break;
    }
    pos = json_lexer::skip_blank(text, token.end);
  }
  return {offset, "number " + number + " is too large; expected a number a double can hold"};
}

}  // namespace

ParseFailure describe_parse_error(std::string_view text, std::string_view what, std::size_t byte) {
  if (what.find("number overflow parsing") != std::string_view::npos)
    return number_overflow(text, what);
  // `byte` counts the bytes read, so the last one read is at byte - 1.
  std::size_t last = byte == 0 ? 0 : byte - 1;
  std::optional<Complaint> complaint = split(what);
  if (!complaint) {
    std::string_view message = what;
    if (std::size_t colon = what.find(": "); colon != std::string_view::npos)
      message = what.substr(colon + 2);
    return {last, std::string(message)};
  }
  if (!complaint->lexer.empty()) return lexer_error(text, *complaint, last);
  return unexpected_token(text, *complaint, last);
}

}  // namespace reqtrace::scenario
