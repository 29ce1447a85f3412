#include "trace/emitter.hpp"

#include <nlohmann/json.hpp>

#include "trace/recorder.hpp"

namespace reqtrace::trace {

std::string quoted_preview(std::string_view text, std::size_t max) {
  std::string out(text.substr(0, max));
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return "'" + out + (text.size() > max ? "…'" : "'");
}

void Emitter::operator()(Phase phase, int req, int level, std::string msg, Vars vars) const {
  send(phase, req, level, std::move(msg), std::move(vars), {});
}

void Emitter::operator()(Phase phase, int req, int level, std::string msg, Vars vars,
                         const nlohmann::json& data) const {
  if (!recorder_) return;
  // Invalid UTF-8 from the wire must not make the trace unwritable.
  send(phase, req, level, std::move(msg), std::move(vars),
       data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void Emitter::send(Phase phase, int req, int level, std::string msg, Vars vars,
                   std::string data) const {
  if (!recorder_) return;
  Event event;
  event.actor = actor_;
  event.lane = lane_;
  event.phase = phase;
  event.req = req;
  event.level = level;
  event.msg = std::move(msg);
  event.vars = std::move(vars);
  event.data = std::move(data);
  recorder_->emit(std::move(event));
}

}  // namespace reqtrace::trace
