#include "sim/proxy/error_page.hpp"

#include "sim/http/response_writer.hpp"
#include "sim/proxy/proxy_config.hpp"

namespace reqtrace::proxy {

std::string error_page(int status) {
  const std::string title = std::to_string(status) + " " + std::string(http::reason_phrase(status));
  return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
         "</h1></center>\r\n<hr><center>" + std::string(kProxySoftware) +
         "</center>\r\n</body>\r\n</html>\r\n";
}

}  // namespace reqtrace::proxy
