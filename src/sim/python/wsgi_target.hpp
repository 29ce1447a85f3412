// Which WSGI callable to serve: "FILE.py[:NAME]", as gunicorn's "module:name" but by file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace reqtrace::python {

struct WsgiTarget {
  std::filesystem::path file;  // the module's source, FILE.py
  std::string name;            // the callable; empty: "app", else "application", as Flask looks
};

// "shop.py", "apps/shop.py:app", "shop.py:create_app()" is refused (a factory call is not a
// name). Relative files are taken from `base` (a scenario's folder, or the working directory).
// nullopt with `error` saying what was expected.
std::optional<WsgiTarget> parse_wsgi_target(std::string_view spec,
                                            const std::filesystem::path& base, std::string& error);

}  // namespace reqtrace::python
