// Reading a parsed document against the format: typed reads that report every mistake they meet.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/load.hpp"

namespace reqtrace::scenario {

class JsonLocator;

// JSON pointers (RFC 6901) to an object's member and an array's element.
std::string member_pointer(std::string_view object, std::string_view key);
std::string element_pointer(std::string_view array, std::size_t index);

// Text in double quotes, escaped as JSON and cut when long, as messages quote names and values.
std::string in_quotes(std::string_view text);

// A value as a message shows it: short scalars as written, containers by kind.
std::string describe_value(const nlohmann::json& value);

// A check on a string's content: "" when it is fine, otherwise the whole message.
using StringRule = std::function<std::string(const std::string&)>;

enum class Need { Optional, Required };

// Collects problems; each read reports what it expected when the value is not that, and the
// caller carries on, so that one pass finds every problem in the file.
class Checker {
 public:
  Checker(std::string file, const JsonLocator* locator);

  void report(const std::string& pointer, std::string message);      // at the value
  void report_key(const std::string& pointer, std::string message);  // at the member's key
  bool has_problems() const { return !problems_.empty(); }
  std::vector<Problem> take_problems();  // in the order they appear in the file

  bool object(const nlohmann::json& value, const std::string& pointer);
  bool array(const nlohmann::json& value, const std::string& pointer);
  std::optional<std::string> string(const nlohmann::json& value, const std::string& pointer,
                                    const StringRule& rule = {});
  std::optional<bool> boolean(const nlohmann::json& value, const std::string& pointer);
  std::optional<std::int64_t> integer(const nlohmann::json& value, const std::string& pointer,
                                      std::int64_t min, std::int64_t max);
  // An array whose every element is a string the rule accepts.
  std::optional<std::vector<std::string>> strings(const nlohmann::json& value,
                                                  const std::string& pointer,
                                                  const StringRule& rule = {});
  // An object whose every value is a string: names checked by key_rule, values by value_rule.
  std::optional<std::vector<std::pair<std::string, std::string>>> string_map(
      const nlohmann::json& value, const std::string& pointer, const StringRule& key_rule,
      const StringRule& value_rule);

 private:
  void add(const std::string& pointer, std::string message, bool at_key);

  std::string file_;
  const JsonLocator* locator_;  // null when the document came without its text
  std::vector<Problem> problems_;
};

// One object of the format, by the keys it may have. Opening it reports every other key, to
// catch typos, except keys starting with "_" or "$" (comments and "$schema"), which are ignored.
// A value that is not an object is reported once and then reads as an empty object.
class Fields {
 public:
  Fields(Checker& checker, const nlohmann::json& value, std::string pointer,
         std::initializer_list<std::string_view> known);

  bool is_object() const { return object_ != nullptr; }
  const std::string& pointer() const { return pointer_; }
  std::string pointer(std::string_view key) const { return member_pointer(pointer_, key); }

  // The member, or null; a missing required one is reported at this object.
  const nlohmann::json* get(std::string_view key, Need need = Need::Optional);

  // Typed reads: `out` changes only when the member is present and valid; true then.
  bool read(std::string_view key, Need need, std::string& out, const StringRule& rule = {});
  bool read(std::string_view key, Need need, bool& out);
  bool read(std::string_view key, Need need, int& out, int min, int max);
  bool read(std::string_view key, Need need, std::vector<std::string>& out,
            const StringRule& rule = {});

 private:
  Checker& checker_;
  const nlohmann::json* object_;
  std::string pointer_;
};

}  // namespace reqtrace::scenario
