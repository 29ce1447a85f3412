// An event in full, as a student wants to read it: environ sorted, raw bytes with line endings
// shown.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "trace/event.hpp"

namespace reqtrace::lesson {

struct KeyValue {
  std::string key;
  std::string value;
};

// A piece of a line of raw bytes: plain text, or a marker that makes an
// invisible byte visible ("\r\n" at the end of an HTTP line, "\t", "\x00").
struct ByteRun {
  std::string text;
  bool marker = false;
};

// Bytes as they went over the wire, one entry per line; each line keeps the
// line ending that closed it, shown as a marker.
struct RawBytes {
  std::string title;  // "Request bytes as the server read them"
  std::size_t size = 0;
  std::vector<std::vector<ByteRun>> lines;
};

struct InspectorView {
  std::string heading;                 // "server · request_received · request 1"
  std::string message;                 // the event's msg
  std::vector<KeyValue> facts;         // seq, time, actor, lane, phase, request, level, pid/tid
  std::vector<KeyValue> changes;       // the tracked variables this event sets
  std::string status;                  // from start_response or the response: "200 OK"
  std::vector<KeyValue> headers;       // in the order they were sent
  std::vector<KeyValue> environ_rows;  // sorted by key, as a student looks one up
  std::vector<RawBytes> raw;
  std::vector<KeyValue> other;  // the rest of data, compact JSON for nested values
  std::string data_problem;     // set when data is not a JSON object
};

InspectorView inspect(const trace::Event& event);

// Splits bytes into lines ending after each '\n', with CR, LF, tabs, other
// control bytes and bytes that are not UTF-8 turned into visible markers.
std::vector<std::vector<ByteRun>> visible_lines(std::string_view bytes);

// "1.234 ms", "56.7 µs", "2.50 s": a duration a person reads at a glance.
std::string readable_duration(std::int64_t ns);

}  // namespace reqtrace::lesson
