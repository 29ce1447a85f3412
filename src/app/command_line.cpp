#include "app/command_line.hpp"

#include <algorithm>
#include <charconv>

#include "app/nearest_names.hpp"

namespace reqtrace::app {
namespace {

// "unknown option --jsn (did you mean --json?); expected one of --json --level --trace"
std::string unknown_option(const std::string& name, const OptionSpec& spec) {
  std::vector<std::string> all(spec.flags.begin(), spec.flags.end());
  all.insert(all.end(), spec.with_value.begin(), spec.with_value.end());
  std::sort(all.begin(), all.end());
  std::string out = "unknown option " + name + did_you_mean(nearest_names(name, all));
  if (all.empty()) return out + "; this command takes no options";
  out += "; expected one of";
  for (const auto& known : all) out += " " + known;
  return out;
}

}  // namespace

std::optional<std::string> Options::value(const std::string& name) const {
  auto found = values.find(name);
  if (found == values.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> Options::every(const std::string& name) const {
  auto found = repeated.find(name);
  return found == repeated.end() ? std::vector<std::string>() : found->second;
}

std::optional<Options> parse_options(const std::vector<std::string>& args, const OptionSpec& spec,
                                     std::string& error) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg.rfind("--", 0) != 0) {
      if (arg.size() > 1 && arg[0] == '-') {
        error = unknown_option(arg, spec);
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
      options.repeated[name].push_back(options.values[name]);
    } else {
      error = unknown_option(name, spec);
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
