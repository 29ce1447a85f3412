#include "scenario/checker.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "scenario/json_locator.hpp"

namespace reqtrace::scenario {
namespace {

using nlohmann::json;

std::string escape_reference(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string integer_range(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max())
    return "an integer of at least " + std::to_string(min);
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

std::string member_pointer(std::string_view object, std::string_view key) {
  return std::string(object) + "/" + escape_reference(key);
}

std::string element_pointer(std::string_view array, std::size_t index) {
  return std::string(array) + "/" + std::to_string(index);
}

std::string in_quotes(std::string_view text) {
  // A huge value would drown the message; its start is enough to recognise it.
  constexpr std::size_t kMax = 40;
  bool cut = text.size() > kMax;
  if (cut) {
    std::size_t end = kMax;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // whole chars
    text = text.substr(0, end);
  }
  std::string out = json(text).dump(-1, ' ', false, json::error_handler_t::replace);
  if (cut) out.insert(out.size() - 1, "...");
  return out;
}

std::string describe_value(const json& value) {
  if (value.is_object()) return value.empty() ? "an empty object" : "an object";
  if (value.is_array()) return value.empty() ? "an empty array" : "an array";
  if (value.is_string()) return in_quotes(value.get_ref<const std::string&>());
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

Checker::Checker(std::string file, const JsonLocator* locator)
    : file_(std::move(file)), locator_(locator) {}

void Checker::report(const std::string& pointer, std::string message) {
  add(pointer, std::move(message), false);
}

void Checker::report_key(const std::string& pointer, std::string message) {
  add(pointer, std::move(message), true);
}

void Checker::add(const std::string& pointer, std::string message, bool at_key) {
  Problem problem;
  problem.file = file_;
  problem.pointer = pointer;
  problem.message = std::move(message);
  if (locator_) {
    std::optional<TextPosition> position =
        at_key ? locator_->find_key(pointer) : locator_->find_value(pointer);
    // Every pointer reported names a value that exists; the fallback only guards the locator.
    if (!position) position = locator_->find_value("");
    if (position) {
      problem.line = position->line;
      problem.column = position->column;
    }
  }
  problems_.push_back(std::move(problem));
}

std::vector<Problem> Checker::take_problems() {
  // Reading follows the format's order, not the file's; a person fixes a file top to bottom.
  std::stable_sort(problems_.begin(), problems_.end(), [](const Problem& a, const Problem& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return std::exchange(problems_, {});
}

bool Checker::object(const json& value, const std::string& pointer) {
  if (value.is_object()) return true;
  report(pointer, "expected an object, got " + describe_value(value));
  return false;
}

bool Checker::array(const json& value, const std::string& pointer) {
  if (value.is_array()) return true;
  report(pointer, "expected an array, got " + describe_value(value));
  return false;
}

std::optional<std::string> Checker::string(const json& value, const std::string& pointer,
                                           const StringRule& rule) {
  if (!value.is_string()) {
    report(pointer, "expected a string, got " + describe_value(value));
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  if (rule) {
    std::string problem = rule(text);
    if (!problem.empty()) {
      report(pointer, std::move(problem));
      return std::nullopt;
    }
  }
  return text;
}

std::optional<bool> Checker::boolean(const json& value, const std::string& pointer) {
  if (value.is_boolean()) return value.get<bool>();
  report(pointer, "expected true or false, got " + describe_value(value));
  return std::nullopt;
}

std::optional<std::int64_t> Checker::integer(const json& value, const std::string& pointer,
                                             std::int64_t min, std::int64_t max) {
  bool in_range = false;
  std::int64_t number = 0;
  if (value.is_number_unsigned()) {
    auto big = value.get<std::uint64_t>();
    in_range = big <= static_cast<std::uint64_t>(max);
    number = static_cast<std::int64_t>(big);
  } else if (value.is_number_integer()) {
    number = value.get<std::int64_t>();
    in_range = true;
  }
  if (in_range && number >= min && number <= max) return number;
  report(pointer, "expected " + integer_range(min, max) + ", got " + describe_value(value));
  return std::nullopt;
}

std::optional<std::vector<std::string>> Checker::strings(const json& value,
                                                         const std::string& pointer,
                                                         const StringRule& rule) {
  if (!array(value, pointer)) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto text = string(value[i], element_pointer(pointer, i), rule);
    if (text)
      out.push_back(std::move(*text));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> Checker::string_map(
    const json& value, const std::string& pointer, const StringRule& key_rule,
    const StringRule& value_rule) {
  if (!object(value, pointer)) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> out;
  bool ok = true;
  for (const auto& [key, item] : value.items()) {
    std::string at = member_pointer(pointer, key);
    if (key_rule) {
      std::string problem = key_rule(key);
      if (!problem.empty()) {
        report_key(at, std::move(problem));
        ok = false;
      }
    }
    auto text = string(item, at, value_rule);
    if (text)
      out.emplace_back(key, std::move(*text));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

Fields::Fields(Checker& checker, const json& value, std::string pointer,
               std::initializer_list<std::string_view> known)
    : checker_(checker), object_(nullptr), pointer_(std::move(pointer)) {
  if (!checker_.object(value, pointer_)) return;
  object_ = &value;
  for (const auto& [key, item] : value.items()) {
    if (!key.empty() && (key.front() == '_' || key.front() == '$')) continue;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string expected;
    for (std::string_view name : known)
      expected += (expected.empty() ? "" : ", ") + std::string(name);
    checker_.report_key(member_pointer(pointer_, key),
                        "unknown key " + in_quotes(key) + "; expected one of: " + expected);
  }
}

const json* Fields::get(std::string_view key, Need need) {
  if (!object_) return nullptr;
  auto it = object_->find(key);
  if (it != object_->end()) return &*it;
  if (need == Need::Required) checker_.report(pointer_, "missing required key " + in_quotes(key));
  return nullptr;
}

bool Fields::read(std::string_view key, Need need, std::string& out, const StringRule& rule) {
  const json* value = get(key, need);
  if (!value) return false;
  auto text = checker_.string(*value, pointer(key), rule);
  if (!text) return false;
  out = std::move(*text);
  return true;
}

bool Fields::read(std::string_view key, Need need, bool& out) {
  const json* value = get(key, need);
  if (!value) return false;
  auto flag = checker_.boolean(*value, pointer(key));
  if (!flag) return false;
  out = *flag;
  return true;
}

bool Fields::read(std::string_view key, Need need, int& out, int min, int max) {
  const json* value = get(key, need);
  if (!value) return false;
  auto number = checker_.integer(*value, pointer(key), min, max);
  if (!number) return false;
  out = static_cast<int>(*number);
  return true;
}

bool Fields::read(std::string_view key, Need need, std::vector<std::string>& out,
                  const StringRule& rule) {
  const json* value = get(key, need);
  if (!value) return false;
  auto list = checker_.strings(*value, pointer(key), rule);
  if (!list) return false;
  out = std::move(*list);
  return true;
}

}  // namespace reqtrace::scenario
