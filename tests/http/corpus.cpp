#include "corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace reqtrace::http::test {
namespace {

std::filesystem::path dir_of(const std::string& kind) {
  return std::filesystem::path(HTTP_CORPUS_DIR) / kind;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::vector<std::string> case_names(const std::string& kind) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir_of(kind))) {
    if (entry.path().extension() == ".http") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Case load_case(const std::string& kind, const std::string& name) {
  Case c;
  c.name = name;
  c.raw = read_bytes(dir_of(kind) / (name + ".http"));
  c.expect = nlohmann::json::parse(read_bytes(dir_of(kind) / (name + ".expect.json")));
  c.topic = c.expect.value("class", "");
  if (c.expect.contains("limits")) {
    const nlohmann::json& l = c.expect.at("limits");
    c.limits.request_line = l.value("request_line", c.limits.request_line);
    c.limits.fields = l.value("fields", c.limits.fields);
    c.limits.field_size = l.value("field_size", c.limits.field_size);
    c.limits.body = l.value("body", c.limits.body);
  }
  return c;
}

const std::vector<std::string>& case_classes() {
  static const std::vector<std::string> classes = {
      "request-line",      "headers", "line-endings", "content-length",
      "transfer-encoding", "chunked", "limits",       "underscores"};
  return classes;
}

}  // namespace reqtrace::http::test
