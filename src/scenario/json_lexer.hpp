// The lexical layer of JSON with comments: where blanks, comments, strings and bare words end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace reqtrace::scenario::json_lexer {

enum class TokenKind {
  Punct,    // one of { } [ ] : ,
  String,   // from '"' to the closing '"', or to the end of the text when it is missing
  Word,     // a number, true, false, null, or whatever else stands between the others
  Comment,  // // to the end of the line, /* to */, or a lone '/' with the character after it
};

// A token is [begin, end) in the text.
struct Token {
  TokenKind kind = TokenKind::Punct;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// A UTF-8 byte order mark is skipped by the parser, so the scanners skip it too.
std::size_t bom_length(std::string_view text);

// Whitespace and comments, as nlohmann's parser skips them with ignore_comments.
std::size_t skip_blank(std::string_view text, std::size_t pos);

// The token starting at `pos`, which must not be at whitespace or at the end.
Token read_token(std::string_view text, std::size_t pos);

// Where the value starting at `pos` ends; objects and arrays are skipped whole, without recursion
// so that a deeply nested document cannot overflow the stack.
std::size_t skip_value(std::string_view text, std::size_t pos);

// The text a string token stands for, escapes decoded; `quoted` includes the quotes.
std::string decode_string(std::string_view quoted);

}  // namespace reqtrace::scenario::json_lexer
