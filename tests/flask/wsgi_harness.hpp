// Test helpers: a hand-built environ, a start_response that records, and an app run to the end.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/wsgi/application.hpp"
#include "trace/event.hpp"
#include "trace/recorder.hpp"

namespace reqtrace::flask::testing {

// What a WSGI server would build for "METHOD path?query" from 127.0.0.1 to localhost:5000.
inline wsgi::Environ make_environ(const std::string& method, const std::string& target,
                                  const std::string& body = "",
                                  const std::string& content_type = "", int req = 1) {
  wsgi::Environ env;
  const auto question = target.find('?');
  env.vars["REQUEST_METHOD"] = method;
  env.vars["SCRIPT_NAME"] = "";
  env.vars["PATH_INFO"] = target.substr(0, question);
  env.vars["QUERY_STRING"] = question == std::string::npos ? "" : target.substr(question + 1);
  env.vars["SERVER_NAME"] = "localhost";
  env.vars["SERVER_PORT"] = "5000";
  env.vars["SERVER_PROTOCOL"] = "HTTP/1.1";
  env.vars["REMOTE_ADDR"] = "127.0.0.1";
  env.vars["REMOTE_PORT"] = "50000";
  env.vars["HTTP_HOST"] = "localhost:5000";
  env.vars["wsgi.url_scheme"] = "http";
  env.vars["reqtrace.req"] = std::to_string(req);
  if (!content_type.empty()) env.vars["CONTENT_TYPE"] = content_type;
  if (!body.empty() || !content_type.empty())
    env.vars["CONTENT_LENGTH"] = std::to_string(body.size());
  env.input = wsgi::InputStream(body);
  return env;
}

class RecordingStartResponse : public wsgi::StartResponse {
 public:
  void operator()(const std::string& status_line, const wsgi::Headers& response_headers,
                  bool with_exc_info) override {
    ++calls;
    status = status_line;
    headers = response_headers;
    exc_info = with_exc_info;
  }
  int calls = 0;
  std::string status;
  wsgi::Headers headers;
  bool exc_info = false;
};

struct Result {
  std::string status;
  wsgi::Headers headers;
  std::string body;
  std::vector<std::string> chunks;
  std::optional<std::size_t> known_length;
  std::string errors;  // what the app wrote to wsgi.errors

  std::optional<std::string> header(const std::string& name) const {
    for (const auto& [key, value] : headers)
      if (key == name) return value;
    return std::nullopt;
  }
  std::vector<std::string> header_names() const {
    std::vector<std::string> names;
    for (const auto& [key, value] : headers) names.push_back(key);
    return names;
  }
};

// Calls the app as a server does: app(env, start_response), next() to the end, close().
inline Result run(wsgi::Application& app, wsgi::Environ& env) {
  RecordingStartResponse start_response;
  auto iterable = app(env, start_response);
  Result result;
  result.status = start_response.status;
  result.headers = start_response.headers;
  result.known_length = iterable->known_length();
  while (auto chunk = iterable->next()) {
    result.chunks.push_back(*chunk);
    result.body += *chunk;
  }
  iterable->close();
  result.errors = env.errors.text();
  return result;
}

inline Result run(wsgi::Application& app, const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& content_type = "") {
  wsgi::Environ env = make_environ(method, target, body, content_type);
  return run(app, env);
}

// Everything a recorder has seen, flushed into a vector. The sink owns the vector
// with us, since the recorder flushes once more when it is destroyed.
class CollectedEvents {
 public:
  explicit CollectedEvents(trace::Recorder& recorder)
      : recorder_(recorder), events_(std::make_shared<std::vector<trace::Event>>()) {
    recorder_.add_sink([events = events_](const std::vector<trace::Event>& batch) {
      events->insert(events->end(), batch.begin(), batch.end());
    });
  }
  const std::vector<trace::Event>& events() {
    recorder_.flush();
    return *events_;
  }
  // Forgets what was seen so far, such as the add_url_rule events of building the app.
  void clear() {
    recorder_.flush();
    events_->clear();
  }
  std::vector<std::string> phases() {
    std::vector<std::string> out;
    for (const auto& event : events()) out.emplace_back(trace::name_of(event.phase));
    return out;
  }

 private:
  trace::Recorder& recorder_;
  std::shared_ptr<std::vector<trace::Event>> events_;
};

}  // namespace reqtrace::flask::testing
