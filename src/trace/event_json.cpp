#include "trace/event_json.hpp"

#include <nlohmann/json.hpp>

namespace reqtrace::trace {
namespace {

void append_string(const std::string& text, std::string& out) {
  out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void append_json_line(const Event& event, std::string& out) {
  out += R"({"seq":)" + std::to_string(event.seq);
  out += R"(,"t_ns":)" + std::to_string(event.t_ns);
  out += R"(,"pid":)" + std::to_string(event.pid);
  out += R"(,"tid":)" + std::to_string(event.tid);
  out += R"(,"actor":")";
  out += name_of(event.actor);
  out += R"(","lane":)";
  append_string(event.lane, out);
  out += R"(,"phase":")";
  out += name_of(event.phase);
  out += R"(","req":)" + std::to_string(event.req);
  out += R"(,"level":)" + std::to_string(event.level);
  out += R"(,"msg":)";
  append_string(event.msg, out);
  out += R"(,"vars":{)";
  for (std::size_t i = 0; i < event.vars.size(); ++i) {
    if (i) out += ',';
    append_string(event.vars[i].first, out);
    out += ':';
    append_string(event.vars[i].second, out);
  }
  out += '}';
  if (!event.data.empty()) {
    out += R"(,"data":)";
    out += event.data;
  }
  out += "}\n";
}

bool event_from_json(const nlohmann::ordered_json& record, Event& event, std::string& error) {
  if (!record.is_object()) {
    error = "expected an event, a JSON object";
    return false;
  }
  auto integer = [&](const char* key, auto& field, bool required) {
    auto found = record.find(key);
    if (found == record.end()) {
      if (required) error = std::string("/") + key + ": missing required key";
      return !required;
    }
    if (!found->is_number_integer()) {
      error = std::string("/") + key + ": expected an integer";
      return false;
    }
    field = found->get<std::remove_reference_t<decltype(field)>>();
    return true;
  };
  auto text = [&](const char* key, std::string& field, bool required) {
    auto found = record.find(key);
    if (found == record.end()) {
      if (required) error = std::string("/") + key + ": missing required key";
      return !required;
    }
    if (!found->is_string()) {
      error = std::string("/") + key + ": expected a string";
      return false;
    }
    field = found->get<std::string>();
    return true;
  };
  std::string actor, phase;
  if (!integer("seq", event.seq, true) || !integer("t_ns", event.t_ns, true) ||
      !integer("pid", event.pid, false) || !integer("tid", event.tid, false) ||
      !text("actor", actor, true) || !text("lane", event.lane, false) ||
      !text("phase", phase, true) || !integer("req", event.req, false) ||
      !integer("level", event.level, false) || !text("msg", event.msg, false))
    return false;
  event.actor = actor_from(actor);
  if (event.actor == Actor::Invalid) {
    error = "/actor: expected one of client, proxy, server, worker, app; got \"" + actor + "\"";
    return false;
  }
  event.phase = phase_from(phase);
  if (event.phase == Phase::Invalid) {
    error = "/phase: unknown phase \"" + phase + "\"";
    return false;
  }
  if (event.level < 1 || event.level > 3) {
    error = "/level: expected 1, 2 or 3";
    return false;
  }
  event.vars.clear();
  if (auto vars = record.find("vars"); vars != record.end()) {
    if (!vars->is_object()) {
      error = "/vars: expected an object of variable names to string values";
      return false;
    }
    for (const auto& [name, value] : vars->items()) {
      if (!value.is_string()) {
        error = "/vars/" + name + ": expected a string";
        return false;
      }
      event.vars.emplace_back(name, value.get<std::string>());
    }
  }
  event.data.clear();
  if (auto data = record.find("data"); data != record.end() && !data->is_null()) {
    if (!data->is_object()) {
      error = "/data: expected an object";
      return false;
    }
    event.data = data->dump();
  }
  return true;
}

}  // namespace reqtrace::trace
