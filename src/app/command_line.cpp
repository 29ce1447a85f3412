#include "app/command_line.hpp"

#include <charconv>

namespace reqtrace::app {
namespace {

std::string expected_list(const OptionSpec& spec) {
  std::set<std::string> all = spec.flags;
  all.insert(spec.with_value.begin(), spec.with_value.end());
  if (all.empty()) return "no options";
  std::string out = "one of";
  for (const auto& name : all) out += " " + name;
  return out;
}

}  // namespace

std::optional<std::string> Options::value(const std::string& name) const {
  auto found = values.find(name);
  if (found == values.end()) return std::nullopt;
  return found->second;
}

std::optional<Options> parse_options(const std::vector<std::string>& args, const OptionSpec& spec,
                                     std::string& error) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg.rfind("--", 0) != 0) {
      if (arg.size() > 1 && arg[0] == '-') {
        error = "unknown option " + arg + "; expected " + expected_list(spec);
        return std::nullopt;
      }
      options.positional.push_back(arg);
      continue;
    }
    const auto equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    if (spec.flags.count(name)) {
      if (equals != std::string::npos) {
        error = name + " takes no value";
        return std::nullopt;
      }
      options.flags.insert(name);
    } else if (spec.with_value.count(name)) {
      if (equals != std::string::npos) {
        options.values[name] = arg.substr(equals + 1);
      } else if (i + 1 < args.size()) {
        options.values[name] = args[++i];
      } else {
        error = name + " expects a value";
        return std::nullopt;
      }
    } else {
      error = "unknown option " + name + "; expected " + expected_list(spec);
      return std::nullopt;
    }
  }
  return options;
}

std::optional<int> parse_int(const std::string& option, const std::string& text, int low, int high,
                             std::string& error) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    error = option + " expects a whole number from " + std::to_string(low) + " to " +
            std::to_string(high) + ", got \"" + text + "\"";
    return std::nullopt;
  }
  return value;
}

}  // namespace reqtrace::app
