#include "sim/proxy/content_type.hpp"

#include <array>
#include <utility>

#include "sim/http/syntax.hpp"

namespace reqtrace::proxy {
namespace {

// Text types carry a charset so a browser does not have to guess one.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "application/javascript; charset=utf-8"},
    {"mjs", "application/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"xml", "text/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"pdf", "application/pdf"},
    {"wasm", "application/wasm"},
    {"mp4", "video/mp4"},
    {"map", "application/json"},
}};

}  // namespace

std::string_view content_type_for(std::string_view filename) {
  const auto slash = filename.rfind('/');
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
  const std::string_view extension = filename.substr(dot + 1);
  for (const auto& [known, type] : kTypes)
    if (http::iequals(known, extension)) return type;
  return "application/octet-stream";
}

}  // namespace reqtrace::proxy
