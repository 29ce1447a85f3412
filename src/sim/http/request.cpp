#include "sim/http/request.hpp"

#include "sim/http/syntax.hpp"

namespace reqtrace::http {

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

bool Request::keep_alive() const {
  // Connection is a list and may be sent more than once; "close" wins over anything else.
  bool close = false;
  bool keep = false;
  for (const Header& h : headers) {
    if (!iequals(h.name, "Connection")) continue;
    for_each_list_element(h.value, [&](std::string_view option) {
      if (iequals(option, "close")) close = true;
      if (iequals(option, "keep-alive")) keep = true;
    });
  }
  if (close) return false;
  if (version_major > 1 || (version_major == 1 && version_minor >= 1)) return true;
  return keep;
}

std::string Request::version() const {
  return "HTTP/" + std::to_string(version_major) + "." + std::to_string(version_minor);
}

}  // namespace reqtrace::http
