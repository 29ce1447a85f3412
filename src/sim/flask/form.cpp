#include "sim/flask/form.hpp"

#include "sim/http/percent_coding.hpp"
#include "sim/wsgi/environ_builder.hpp"

namespace reqtrace::flask {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string url_unquote(std::string_view text) {
  // The same unquoting the server applies to PATH_INFO.
  return wsgi::percent_decode(text);
}

std::string url_unquote_plus(std::string_view text) {
  std::string spaced(text);
  for (char& c : spaced)
    if (c == '+') c = ' ';
  return url_unquote(spaced);
}

std::string url_quote(std::string_view text, std::string_view safe) {
  return http::percent_encode(text, [safe](unsigned char byte) {
    return is_unreserved(byte) || safe.find(static_cast<char>(byte)) != std::string_view::npos;
  });
}

MultiDict url_decode(std::string_view query) {
  MultiDict out;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t equal = pair.find('=');
      if (equal == std::string_view::npos)
        out.add(url_unquote_plus(pair), "");
      else
        out.add(url_unquote_plus(pair.substr(0, equal)), url_unquote_plus(pair.substr(equal + 1)));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace reqtrace::flask
