#include "sim/wsgi/errors_stream.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace reqtrace::wsgi {

namespace {

// A traceback is rarely longer; a runaway loop of writes must not fill the trace.
constexpr std::size_t kEventTextCap = 8192;

}  // namespace

void ErrorsStream::write(std::string_view text, const trace::Emitter& writer, int req) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  text_.append(text);
  // Only this write can end a line the trace has not had.
  const std::size_t line_end = text.rfind('\n');
  if (line_end == std::string_view::npos) return;
  const std::size_t said_to = text_.size() - text.size() + line_end + 1;
  say(std::string_view(text_).substr(said_, said_to - said_), writer, req);
  said_ = said_to;
}

void ErrorsStream::flush(const trace::Emitter& writer, int req) {
  std::fflush(stderr);
  if (said_ == text_.size()) return;
  say(std::string_view(text_).substr(said_), writer, req);
  said_ = text_.size();
}

void ErrorsStream::say(std::string_view lines, const trace::Emitter& writer, int req) const {
  if (!writer.enabled()) return;
  nlohmann::json data = {{"text", lines.substr(0, kEventTextCap)}, {"length", lines.size()}};
  if (lines.size() > kEventTextCap) data["truncated"] = true;
  writer(trace::Phase::WsgiErrors, req, trace::kServerInternals,
         "The app writes to wsgi.errors, the server's error log: " + trace::quoted_preview(lines),
         {}, data);
}

}  // namespace reqtrace::wsgi
