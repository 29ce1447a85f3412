// What the browser is asked to load: a page's request, as the run hands it to a browser.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace reqtrace::client {

struct Request {
  std::string method = "GET";
  std::string path = "/";  // the request target: path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::map<std::string, std::string> form;  // sent as application/x-www-form-urlencoded
  bool subresources = true;  // an HTML answer's images, scripts and stylesheets are fetched too
};

}  // namespace reqtrace::client
