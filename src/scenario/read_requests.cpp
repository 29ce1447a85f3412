// "requests": required; a non-empty array of the requests a run sends, in order. A request:
//
//   "method"   an uppercase HTTP token, default "GET". Any token, so that a scenario can send a
//              method the app refuses (405) or does not know.
//   "path"     required; a string starting with "/": the request target, query string included.
//   "headers"  an object: header name (an HTTP token) -> value (a string without CR or LF).
//              They are sent in name order: a parsed JSON object does not keep the file's order.
//   "body"     a string, sent as it is.
//   "form"     an object: field -> value (strings), sent as application/x-www-form-urlencoded.
//              "body" and "form" exclude each other: the form is the body.
//   "clients"  an integer 1-200, default 1: that many browsers send the request at the same
//              moment (the crowd lesson). The next entry starts once every one has its answer.
//   "subresources"  a boolean, default true: when the answer is HTML, the browser also fetches
//              the images, scripts and stylesheets it links to, as a browser does.
#include <nlohmann/json.hpp>

#include "scenario/checker.hpp"
#include "scenario/names.hpp"
#include "scenario/sections.hpp"

namespace reqtrace::scenario {
namespace {

using nlohmann::json;

// Enough for a classroom; each client is a thread of the run and a lane of the timeline.
constexpr int kMaxClients = 200;

std::string check_method(const std::string& method) {
  bool upper = method.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
  if (is_token(method) && upper) return "";
  return "expected an uppercase method name like \"GET\", got " + in_quotes(method);
}

std::string check_path(const std::string& path) {
  if (!path.empty() && path.front() == '/') return "";
  return "expected a path starting with \"/\", got " + in_quotes(path);
}

Request read_request(Checker& checker, const json& value, const std::string& pointer) {
  Request request;
  Fields fields(checker, value, pointer,
                {"method", "path", "headers", "body", "form", "clients", "subresources"});
  fields.read("method", Need::Optional, request.method, check_method);
  fields.read("path", Need::Required, request.path, check_path);
  if (const json* headers = fields.get("headers")) {
    auto list = checker.string_map(*headers, fields.pointer("headers"), expect_header_name,
                                   expect_header_value);
    if (list) request.headers = std::move(*list);
  }
  fields.read("body", Need::Optional, request.body);
  if (const json* form = fields.get("form")) {
    if (auto list = checker.string_map(*form, fields.pointer("form"), {}, {}))
      request.form.insert(list->begin(), list->end());
    if (fields.get("body"))
      checker.report_key(fields.pointer("form"),
                         R"("body" and "form" exclude each other: the form is sent as the body)");
  }
  fields.read("clients", Need::Optional, request.clients, 1, kMaxClients);
  fields.read("subresources", Need::Optional, request.subresources);
  return request;
}

}  // namespace

std::vector<Request> read_requests(Checker& checker, const json& value,
                                   const std::string& pointer) {
  std::vector<Request> requests;
  if (!checker.array(value, pointer)) return requests;
  if (value.empty()) checker.report(pointer, "expected at least one request, got an empty array");
  for (std::size_t i = 0; i < value.size(); ++i)
    requests.push_back(read_request(checker, value[i], element_pointer(pointer, i)));
  return requests;
}

}  // namespace reqtrace::scenario
