// The pages the proxy answers with when it cannot give the client what it asked for.
#pragma once

#include <string>

namespace reqtrace::proxy {

// nginx's built-in page for a status: "<html><head><title>502 Bad Gateway</title>..." with
// the status in a heading and the server's name at the foot.
std::string error_page(int status);

}  // namespace reqtrace::proxy
