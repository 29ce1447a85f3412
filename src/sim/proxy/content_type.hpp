// The Content-Type of a static file, by its extension, as nginx's mime.types maps them.
#pragma once

#include <string_view>

namespace reqtrace::proxy {

// "text/css" for "style.css"; the extension is matched without regard to case. A name with no
// known extension is "application/octet-stream", nginx's default_type.
std::string_view content_type_for(std::string_view filename);

}  // namespace reqtrace::proxy
