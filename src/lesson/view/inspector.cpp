#include "lesson/view/inspector.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace reqtrace::lesson {
namespace {

using nlohmann::ordered_json;

std::string hex_marker(unsigned char byte) {
  char text[8];
  std::snprintf(text, sizeof text, "\\x%02X", byte);
  return text;
}

// Length of the valid UTF-8 sequence starting at bytes[i], or 0 if it is not one.
std::size_t utf8_length(std::string_view bytes, std::size_t i) {
  const auto lead = static_cast<unsigned char>(bytes[i]);
  std::size_t length = 0;
  unsigned min = 0;
  unsigned code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1Fu;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0Fu;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > bytes.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(bytes[i + k]);
    if ((next & 0xC0u) != 0x80u) return 0;
    code = (code << 6) | (next & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

std::string as_text(const ordered_json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

const char* level_name(int level) {
  switch (level) {
    case trace::kOverview:
      return "1 · overview";
    case trace::kServerInternals:
      return "2 · server internals";
    default:
      return "3 · framework internals";
  }
}

std::string raw_title(const trace::Event& event, const std::string& key) {
  using trace::Phase;
  if (key == "raw" && event.phase == Phase::RequestReceived)
    return "Request bytes as the server read them";
  if (key == "raw" && event.phase == Phase::Sent) return "Response bytes as the server wrote them";
  if (key == "head") return "Response head: status line and headers";
  if (key == "body") return "Body";
  return "Bytes (" + key + ")";
}

}  // namespace

std::string readable_duration(std::int64_t ns) {
  char text[32];
  const double value = static_cast<double>(ns);
  if (ns < 0)
    return "-" + readable_duration(-ns);
  else if (ns < 1000)
    std::snprintf(text, sizeof text, "%lld ns", static_cast<long long>(ns));
  else if (ns < 1000000)
    std::snprintf(text, sizeof text, "%.1f µs", value / 1e3);
  else if (ns < 1000000000)
    std::snprintf(text, sizeof text, "%.3f ms", value / 1e6);
  else
    std::snprintf(text, sizeof text, "%.3f s", value / 1e9);
  return text;
}

std::vector<std::vector<ByteRun>> visible_lines(std::string_view bytes) {
  std::vector<std::vector<ByteRun>> lines(1);
  auto add = [&lines](std::string text, bool marker) {
    auto& line = lines.back();
    if (!line.empty() && line.back().marker == marker && !marker)
      line.back().text += text;
    else
      line.push_back({std::move(text), marker});
  };
  for (std::size_t i = 0; i < bytes.size();) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    if (byte == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
      add("\\r\\n", true);
      lines.emplace_back();
      i += 2;
    } else if (byte == '\n') {
      add("\\n", true);
      lines.emplace_back();
      ++i;
    } else if (byte == '\r') {
      add("\\r", true);
      ++i;
    } else if (byte == '\t') {
      add("\\t", true);
      ++i;
    } else if (byte >= 0x20 && byte < 0x7F) {
      add(std::string(1, static_cast<char>(byte)), false);
      ++i;
    } else if (std::size_t length = utf8_length(bytes, i); length > 0) {
      add(std::string(bytes.substr(i, length)), false);
      i += length;
    } else {  // other control bytes, DEL, and bytes that start no valid UTF-8 sequence
      add(hex_marker(byte), true);
      ++i;
    }
  }
  if (lines.size() > 1 && lines.back().empty()) lines.pop_back();
  return lines;
}

InspectorView inspect(const trace::Event& event) {
  InspectorView view;
  view.heading = event.lane + " · " + std::string(trace::name_of(event.phase));
  if (event.req) view.heading += " · request " + std::to_string(event.req);
  view.message = event.msg;
  view.facts = {{"Seq", std::to_string(event.seq)},
                {"Time", readable_duration(event.t_ns) + " after the trace began"},
                {"Actor", std::string(trace::name_of(event.actor))},
                {"Lane", event.lane},
                {"Phase", std::string(trace::name_of(event.phase))},
                {"Request", event.req ? std::to_string(event.req) : "none"},
                {"Level", level_name(event.level)},
                {"Process, thread",
                 "pid " + std::to_string(event.pid) + ", thread " + std::to_string(event.tid)}};
  for (const auto& [name, value] : event.vars) view.changes.push_back({name, value});
  if (event.data.empty()) return view;

  ordered_json data;
  try {
    data = ordered_json::parse(event.data);
  } catch (const nlohmann::json::exception& e) {
    view.data_problem = std::string("the event's data is not valid JSON: ") + e.what();
    return view;
  }
  if (!data.is_object()) {
    view.data_problem = "the event's data is not a JSON object";
    return view;
  }
  for (const auto& [key, value] : data.items()) {
    if (key == "environ" && value.is_object()) {
      for (const auto& [name, item] : value.items())
        view.environ_rows.push_back({name, as_text(item)});
      std::sort(view.environ_rows.begin(), view.environ_rows.end(),
                [](const KeyValue& a, const KeyValue& b) { return a.key < b.key; });
    } else if (key == "status" && (value.is_string() || value.is_number_integer())) {
      view.status = as_text(value);
      if (value.is_number_integer())
        if (auto reason = data.find("reason"); reason != data.end() && reason->is_string())
          view.status += " " + reason->get<std::string>();
    } else if (key == "reason" && data.contains("status") && data["status"].is_number_integer()) {
      continue;  // shown with the status
    } else if (key == "headers" && value.is_array()) {
      for (const auto& header : value)
        if (header.is_array() && header.size() == 2)
          view.headers.push_back({as_text(header[0]), as_text(header[1])});
    } else if ((key == "raw" || key == "head" || key == "body") && value.is_string()) {
      const std::string bytes = value.get<std::string>();
      view.raw.push_back({raw_title(event, key), bytes.size(), visible_lines(bytes)});
    } else {
      view.other.push_back({key, as_text(value)});
    }
  }
  return view;
}

}  // namespace reqtrace::lesson
