// An event as one JSON Lines record, and back.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "trace/event.hpp"

namespace reqtrace::trace {

// Appends the event as one JSON line (with '\n') to `out`. `data` is inserted
// as it is, so writing costs no re-parse.
void append_json_line(const Event& event, std::string& out);

// Reads an event from a parsed record. On a missing or mistyped key, returns
// false and says which key and what was expected in `error` (JSON pointer first).
bool event_from_json(const nlohmann::ordered_json& record, Event& event, std::string& error);

}  // namespace reqtrace::trace
