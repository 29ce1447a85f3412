#include "sim/flask/converters.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace reqtrace::flask {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::size_t digit_run(std::string_view target, std::size_t pos) {
  std::size_t end = pos;
  while (end < target.size() && is_digit(target[end])) ++end;
  return end - pos;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

bool is_identifier(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// A converter's parameters by name, from positional and keyword arguments, as a
// Python call binds them; a surplus or unknown argument is the TypeError Python raises.
std::map<std::string, std::string> bind(std::string_view converter,
                                        const std::vector<std::string_view>& params,
                                        const ConverterArgs& given) {
  const std::string which = "the " + std::string(converter) + " converter";
  std::map<std::string, std::string> bound;
  if (given.args.size() > params.size())
    throw std::invalid_argument(
        which +
        (params.empty() ? " takes no arguments"
                        : " takes at most " + std::to_string(params.size()) + " arguments") +
        ", got " + std::to_string(given.args.size()));
  for (std::size_t i = 0; i < given.args.size(); ++i) bound[std::string(params[i])] = given.args[i];
  for (const auto& [name, value] : given.kwargs) {
    if (std::find(params.begin(), params.end(), name) == params.end()) {
      std::string known;
      for (const std::string_view param : params)
        known += (known.empty() ? "" : ", ") + std::string(param);
      throw std::invalid_argument(
          which + " has no argument " + quoted(name) +
          (known.empty() ? "; it takes none" : "; expected one of: " + known));
    }
    if (!bound.emplace(name, value).second)
      throw std::invalid_argument(which + " got two values for " + quoted(name));
  }
  return bound;
}

std::optional<std::int64_t> int_arg(const std::map<std::string, std::string>& bound,
                                    const std::string& name) {
  const auto found = bound.find(name);
  if (found == bound.end() || found->second == "None") return std::nullopt;
  const std::string& text = found->second;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument("converter argument " + quoted(name) + " must be an integer, got " +
                                quoted(text));
  return value;
}

std::optional<double> float_arg(const std::map<std::string, std::string>& bound,
                                const std::string& name) {
  const auto found = bound.find(name);
  if (found == bound.end() || found->second == "None") return std::nullopt;
  const std::string& text = found->second;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument("converter argument " + quoted(name) + " must be a number, got " +
                                quoted(text));
  return value;
}

bool bool_arg(const std::map<std::string, std::string>& bound, const std::string& name) {
  const auto found = bound.find(name);
  if (found == bound.end()) return false;
  if (found->second == "True") return true;
  if (found->second == "False" || found->second == "None") return false;
  return int_arg(bound, name).value_or(0) != 0;
}

void number_ends(std::string_view target, std::size_t pos, bool is_signed, bool with_fraction,
                 std::vector<std::size_t>& ends) {
  // "-?" is greedy: with the sign first; without it \d cannot match a "-" anyway.
  if (is_signed && pos < target.size() && target[pos] == '-') ++pos;
  const std::size_t whole = digit_run(target, pos);
  if (whole == 0) return;
  if (!with_fraction) {
    for (std::size_t n = whole; n >= 1; --n) ends.push_back(pos + n);
    return;
  }
  // \d+\.\d+: only the whole run of digits can be followed by the dot.
  const std::size_t dot = pos + whole;
  if (dot >= target.size() || target[dot] != '.') return;
  const std::size_t fraction = digit_run(target, dot + 1);
  for (std::size_t n = fraction; n >= 1; --n) ends.push_back(dot + 1 + n);
}

}  // namespace

std::string regex_escape(std::string_view text) {
  static constexpr std::string_view kSpecial = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
  std::string out;
  for (const char c : text) {
    if (kSpecial.find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out.push_back(kHex[(c >> 4) & 0xF]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  // to_chars gives the shortest digits that read back the same, as Python's repr
  // does; only where the decimal point goes differs.
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, std::abs(value), std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const std::size_t e = text.find('e');
  std::string digits;
  for (const char c : text.substr(0, e))
    if (c != '.') digits.push_back(c);
  int exponent = 0;
  const std::string_view exponent_text = text.substr(e + 1);
  std::from_chars(exponent_text.data() + (exponent_text.front() == '+' ? 1 : 0),
                  exponent_text.data() + exponent_text.size(), exponent);
  const int decpt = exponent + 1;  // value = 0.<digits> * 10^decpt
  const int count = static_cast<int>(digits.size());

  std::string out = std::signbit(value) ? "-" : "";
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    } else if (decpt >= count) {
      out += digits + std::string(static_cast<std::size_t>(decpt - count), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
             digits.substr(static_cast<std::size_t>(decpt));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (count > 1) {
    out += '.';
    out += digits.substr(1);
  }
  const int shown = decpt - 1;
  const std::string magnitude = std::to_string(std::abs(shown));
  out += std::string("e") + (shown < 0 ? "-" : "+") + (magnitude.size() < 2 ? "0" : "") + magnitude;
  return out;
}

std::string python_str(const ViewArg& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
  return python_float_repr(std::get<double>(value));
}

UnicodeConverter::UnicodeConverter(int minlength, std::optional<int> maxlength,
                                   std::optional<int> length)
    : BaseConverter(length ? "[^/]{" + std::to_string(*length) + "}"
                           : "[^/]{" + std::to_string(minlength) + "," +
                                 (maxlength ? std::to_string(*maxlength) : "") + "}",
                    100) {
  if (length) {
    min_ = static_cast<std::size_t>(std::max(*length, 0));
    max_ = min_;
  } else {
    min_ = static_cast<std::size_t>(std::max(minlength, 0));
    if (maxlength) max_ = static_cast<std::size_t>(std::max(*maxlength, 0));
  }
}

void UnicodeConverter::match_ends(std::string_view target, std::size_t pos,
                                  std::vector<std::size_t>& ends) const {
  std::size_t available = 0;
  while (pos + available < target.size() && target[pos + available] != '/') ++available;
  const std::size_t longest = max_ ? std::min(*max_, available) : available;
  for (std::size_t n = longest + 1; n-- > min_;) ends.push_back(pos + n);
}

PathConverter::PathConverter() : BaseConverter("[^/].*?", 200, false) {}

void PathConverter::match_ends(std::string_view target, std::size_t pos,
                               std::vector<std::size_t>& ends) const {
  // [^/].*? : one character that is not a slash, then as few as will do. "." stops
  // at a newline, as it does in Python without re.DOTALL.
  if (pos >= target.size() || target[pos] == '/') return;
  for (std::size_t end = pos + 1; end <= target.size(); ++end) {
    ends.push_back(end);
    if (end < target.size() && target[end] == '\n') break;
  }
}

AnyConverter::AnyConverter(std::vector<std::string> items)
    : BaseConverter(
          [&items] {
            std::string regex = "(?:";
            for (std::size_t i = 0; i < items.size(); ++i) {
              if (i) regex += '|';
              regex += regex_escape(items[i]);
            }
            return regex + ")";
          }(),
          100),
      items_(std::move(items)) {}

void AnyConverter::match_ends(std::string_view target, std::size_t pos,
                              std::vector<std::size_t>& ends) const {
  for (const auto& item : items_)
    if (target.substr(pos).starts_with(item)) ends.push_back(pos + item.size());
}

IntegerConverter::IntegerConverter(Options options)
    : BaseConverter(options.is_signed ? "-?\\d+" : "\\d+", 50), options_(options) {}

void IntegerConverter::match_ends(std::string_view target, std::size_t pos,
                                  std::vector<std::size_t>& ends) const {
  number_ends(target, pos, options_.is_signed, false, ends);
}

ViewArg IntegerConverter::to_python(std::string_view value) const {
  if (options_.fixed_digits && value.size() != static_cast<std::size_t>(options_.fixed_digits))
    throw ValidationError();
  // Python's int has no limit; ours stops at 64 bits, and a larger number simply does not match.
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size()) throw ValidationError();
  if ((options_.min && number < *options_.min) || (options_.max && number > *options_.max))
    throw ValidationError();
  return number;
}

FloatConverter::FloatConverter(Options options)
    : BaseConverter(options.is_signed ? R"(-?\d+\.\d+)" : R"(\d+\.\d+)", 50), options_(options) {}

void FloatConverter::match_ends(std::string_view target, std::size_t pos,
                                std::vector<std::size_t>& ends) const {
  number_ends(target, pos, options_.is_signed, true, ends);
}

ViewArg FloatConverter::to_python(std::string_view value) const {
  double number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (end != value.data() + value.size()) throw ValidationError();
  // A value too large for a double is inf, as float("1e999") is in Python.
  if (error == std::errc::result_out_of_range) number = value.front() == '-' ? -HUGE_VAL : HUGE_VAL;
  if ((options_.min && number < *options_.min) || (options_.max && number > *options_.max))
    throw ValidationError();
  return number;
}

UUIDConverter::UUIDConverter()
    : BaseConverter("[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}",
                    100) {}

void UUIDConverter::match_ends(std::string_view target, std::size_t pos,
                               std::vector<std::size_t>& ends) const {
  static constexpr std::string_view kShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (target.size() - std::min(pos, target.size()) < kShape.size()) return;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const char c = target[pos + i];
    const bool ok = kShape[i] == '-' ? c == '-' : std::isxdigit(static_cast<unsigned char>(c));
    if (!ok) return;
  }
  ends.push_back(pos + kShape.size());
}

ViewArg UUIDConverter::to_python(std::string_view value) const {
  std::string lower(value);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

ConverterArgs parse_converter_args(std::string_view argstr) {
  // Split on the commas outside quotes; each item is `value` or `name=value`.
  std::vector<std::string> items;
  std::string current;
  char quote = 0;
  for (const char c : argstr) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ',') {
      items.push_back(current);
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  if (quote)
    throw std::invalid_argument("a string in the converter's arguments " + quoted(argstr) +
                                " is not closed");
  items.push_back(current);
  if (trim(items.back()).empty()) items.pop_back();  // a trailing comma, or no arguments

  ConverterArgs out;
  for (const auto& raw : items) {
    std::string item = trim(raw);
    std::string name;
    const std::size_t equal = item.find('=');
    if (equal != std::string::npos && item.front() != '"' && item.front() != '\'') {
      name = trim(item.substr(0, equal));
      item = trim(item.substr(equal + 1));
      if (!is_identifier(name))
        throw std::invalid_argument("cannot read converter argument " + quoted(trim(raw)) +
                                    "; expected name=value");
    }
    std::string value;
    if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'') &&
        item.back() == item.front()) {
      value = item.substr(1, item.size() - 2);
    } else if (!item.empty() && std::all_of(item.begin(), item.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
               })) {
      value = item;
    } else {
      throw std::invalid_argument("cannot read converter argument " + quoted(trim(raw)) +
                                  "; expected a number, a name or a quoted string");
    }
    if (name.empty())
      out.args.push_back(std::move(value));
    else
      out.kwargs.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::unique_ptr<BaseConverter> make_converter(std::string_view name, const ConverterArgs& args) {
  if (name == "default" || name == "string") {
    const auto bound = bind(name, {"minlength", "maxlength", "length"}, args);
    const auto to_int = [](std::optional<std::int64_t> v) -> std::optional<int> {
      if (!v) return std::nullopt;
      return static_cast<int>(*v);
    };
    return std::make_unique<UnicodeConverter>(to_int(int_arg(bound, "minlength")).value_or(1),
                                              to_int(int_arg(bound, "maxlength")),
                                              to_int(int_arg(bound, "length")));
  }
  if (name == "path") {
    bind(name, {}, args);
    return std::make_unique<PathConverter>();
  }
  if (name == "any") {
    if (!args.kwargs.empty())
      throw std::invalid_argument("the any converter takes its items as positional arguments");
    // Werkzeug's any matches one of its items; with none it could match nothing.
    if (args.args.empty())
      throw std::invalid_argument(
          "the any converter needs its choices, like <any(about, help):page>");
    return std::make_unique<AnyConverter>(args.args);
  }
  if (name == "int") {
    const auto bound = bind(name, {"fixed_digits", "min", "max", "signed"}, args);
    IntegerConverter::Options options;
    options.fixed_digits = static_cast<int>(int_arg(bound, "fixed_digits").value_or(0));
    options.min = int_arg(bound, "min");
    options.max = int_arg(bound, "max");
    options.is_signed = bool_arg(bound, "signed");
    return std::make_unique<IntegerConverter>(options);
  }
  if (name == "float") {
    const auto bound = bind(name, {"min", "max", "signed"}, args);
    FloatConverter::Options options;
    options.min = float_arg(bound, "min");
    options.max = float_arg(bound, "max");
    options.is_signed = bool_arg(bound, "signed");
    return std::make_unique<FloatConverter>(options);
  }
  if (name == "uuid") {
    bind(name, {}, args);
    return std::make_unique<UUIDConverter>();
  }
  throw std::invalid_argument("unknown converter " + quoted(name) +
                              "; expected one of: string, int, float, path, any, uuid");
}

}  // namespace reqtrace::flask
