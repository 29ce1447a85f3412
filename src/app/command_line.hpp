// Reading a command's options: flags, options with a value, and positional arguments.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace reqtrace::app {

struct OptionSpec {
  std::set<std::string> flags;       // e.g. "--json"
  std::set<std::string> with_value;  // e.g. "--trace", given as "--trace F" or "--trace=F"
};

struct Options {
  std::vector<std::string> positional;
  std::set<std::string> flags;
  std::map<std::string, std::string> values;                 // the last value given for each option
  std::map<std::string, std::vector<std::string>> repeated;  // every value, for --request

  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> every(const std::string& name) const;
};

// nullopt with `error` saying which argument is wrong and what was expected.
std::optional<Options> parse_options(const std::vector<std::string>& args, const OptionSpec& spec,
                                     std::string& error);

// A whole number in [low, high]; nullopt with `error` naming the option otherwise.
std::optional<int> parse_int(const std::string& option, const std::string& text, int low, int high,
                             std::string& error);

}  // namespace reqtrace::app
