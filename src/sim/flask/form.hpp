// Percent-encoding and x-www-form-urlencoded: how request.args and request.form are decoded.
#pragma once

#include <string>
#include <string_view>

#include "sim/flask/multidict.hpp"

namespace reqtrace::flask {

// werkzeug.urls.url_unquote: "%41" -> "A"; a malformed escape is kept as it is.
std::string url_unquote(std::string_view text);
// url_unquote_plus: as above, and "+" is a space (forms encode spaces that way).
std::string url_unquote_plus(std::string_view text);
// url_quote: every byte that is not unreserved and not in `safe` becomes %XX.
std::string url_quote(std::string_view text, std::string_view safe = "/");

// werkzeug.urls.url_decode: "a=1&b=x+y" -> {a: "1", b: "x y"}. Pairs are split on
// "&" only; a pair without "=" is a key with an empty value; empty pairs are skipped.
MultiDict url_decode(std::string_view query);

}  // namespace reqtrace::flask
