#include "trace/trace_reader.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include "trace/event_json.hpp"
#include "trace/trace_writer.hpp"

namespace reqtrace::trace {
namespace {

constexpr std::uintmax_t kMaxTraceBytes = std::uintmax_t{1} << 31;  // 2 GiB
constexpr std::size_t kMaxErrors = 20;

// nlohmann's parser does not recurse, but copying and dumping a value do: a line nested a few
// thousand levels deep would overflow the stack. The header embeds a scenario (itself at most
// 100 deep, see scenario/load.cpp) one level down; events are shallower still.
constexpr int kMaxDepth = 128;

// Where the first bracket nested deeper than kMaxDepth is in one line of JSON; nothing when the
// line stays within the limit. Brackets inside strings do not count.
std::optional<std::size_t> too_deep(std::string_view line) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return i;
    } else if (c == '}' || c == ']') {
      --depth;  // unbalanced text is the parser's to report
    }
  }
  return std::nullopt;
}

std::string place(const std::string& file, std::size_t line, std::size_t column) {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at
// line 1, column 5: "; keep only what was expected.
std::string parse_reason(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  auto colon = what.rfind(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

bool check_header(const nlohmann::ordered_json& header, Trace& trace, std::string& error) {
  if (!header.is_object() || !header.contains("format") || header["format"] != kTraceFormatName) {
    error = "/format: expected \"reqtrace-trace\": this is not a reqtrace trace file";
    return false;
  }
  auto version = header.find("version");
  if (version == header.end() || !version->is_number_integer()) {
    error = "/version: expected the format version, an integer";
    return false;
  }
  trace.version = version->get<int>();
  if (trace.version > kTraceFormatVersion) {
    error = "/version: this trace was written in format version " + std::to_string(trace.version) +
            " by a newer reqtrace; this one reads version " + std::to_string(kTraceFormatVersion) +
            ". Update reqtrace to open it.";
    return false;
  }
  if (trace.version < 1) {
    error = "/version: format version " + std::to_string(trace.version) +
            " is older than any reqtrace ever wrote; expected " +
            std::to_string(kTraceFormatVersion);
    return false;
  }
  auto scenario = header.find("scenario");
  if (scenario == header.end() || !scenario->is_object()) {
    error = "/scenario: expected the embedded scenario, an object";
    return false;
  }
  trace.scenario = nlohmann::json::parse(scenario->dump());
  if (auto started = header.find("started_at"); started != header.end() && started->is_string())
    trace.started_at = started->get<std::string>();
  return true;
}

}  // namespace

TraceLoaded read_trace_text(const std::string& text, const std::string& file) {
  TraceLoaded loaded;
  Trace trace;
  std::size_t line_no = 0;
  std::size_t start = 0;
  bool have_header = false;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last_unterminated = end == std::string::npos;
    if (last_unterminated) end = text.size();
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++line_no;
    if (line.empty() || line.find_first_not_of(" \t\r") == std::string_view::npos) continue;

    if (std::optional<std::size_t> deep = too_deep(line)) {
      loaded.errors.push_back(place(file, line_no, *deep + 1) + "values nested more than " +
                              std::to_string(kMaxDepth) +
                              " levels deep; no reqtrace trace nests that deep");
      if (!have_header || loaded.errors.size() >= kMaxErrors) break;
      continue;
    }
    nlohmann::ordered_json record;
    try {
      record = nlohmann::ordered_json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      if (last_unterminated && have_header) {
        loaded.warnings.push_back(place(file, line_no, 1) +
                                  "the last line is cut short (the run was probably killed "
                                  "while writing it); it was dropped and the rest kept");
        break;
      }
      if (!have_header) {
        loaded.errors.push_back(place(file, line_no, std::max<std::size_t>(e.byte, 1)) +
                                "expected a trace header, one JSON object on the first line; "
                                "this is not a reqtrace trace file (" +
                                parse_reason(e) + ")");
        break;
      }
      loaded.errors.push_back(place(file, line_no, std::max<std::size_t>(e.byte, 1)) +
                              parse_reason(e));
      if (loaded.errors.size() >= kMaxErrors) break;
      continue;
    }
    std::string error;
    if (!have_header) {
      if (!check_header(record, trace, error)) {
        loaded.errors.push_back(place(file, line_no, 1) + error);
        break;
      }
      have_header = true;
      continue;
    }
    Event event;
    if (!event_from_json(record, event, error)) {
      loaded.errors.push_back(place(file, line_no, 1) + error);
      if (loaded.errors.size() >= kMaxErrors) break;
      continue;
    }
    trace.events.push_back(std::move(event));
  }
  if (!have_header && loaded.errors.empty())
    loaded.errors.push_back(file + ": the file is empty; expected a reqtrace trace header line");
  if (!loaded.errors.empty()) return loaded;
  std::stable_sort(trace.events.begin(), trace.events.end(),
                   [](const Event& a, const Event& b) { return a.seq < b.seq; });
  loaded.trace = std::move(trace);
  return loaded;
}

TraceLoaded read_trace(const std::filesystem::path& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return {std::nullopt, {path.string() + ": cannot open the trace: " + ec.message()}, {}};
  if (size > kMaxTraceBytes)
    return {std::nullopt,
            {path.string() + ": the file is " + std::to_string(size >> 20) +
             " MiB; expected a trace of at most 2048 MiB"},
            {}};
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, {path.string() + ": cannot open the trace"}, {}};
  std::ostringstream content;
  content << in.rdbuf();
  return read_trace_text(content.str(), path.string());
}

bool looks_like_trace(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string first(256, '\0');
  in.read(first.data(), static_cast<std::streamsize>(first.size()));
  first.resize(static_cast<std::size_t>(in.gcount()));
  return first.find(std::string(R"("format":")") + kTraceFormatName + "\"") != std::string::npos;
}

}  // namespace reqtrace::trace
