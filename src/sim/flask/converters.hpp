// Werkzeug's URL converters: the typed variables of a rule, <int:post_id> or <path:p>.
#pragma once

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace reqtrace::flask {

// What a converter's to_python gives a view: a str, an int or a float.
using ViewArg = std::variant<std::string, std::int64_t, double>;
// request.view_args: the rule's variables by name, passed to the view.
using ViewArgs = std::map<std::string, ViewArg>;

// str(value) as Python prints it: 7, 1.5, 1e+16, ada.
std::string python_str(const ViewArg& value);
// repr(float): the shortest text that reads back the same, "1.0" and "1e-05" included.
std::string python_float_repr(double value);

// Text in double quotes, `"` and `\` escaped and control characters as \u00XX, as error
// messages quote a rule's pieces and a converter's arguments.
std::string quoted(std::string_view text);

// re.escape(text): a literal as it appears inside a regex ("c d" -> "c\\ d").
std::string regex_escape(std::string_view text);

// to_python refusing a value the pattern let through (int(min=1) given 0):
// the whole match fails, as in Werkzeug 2.2.
class ValidationError : public std::exception {
 public:
  const char* what() const noexcept override { return "ValidationError"; }
};

class BaseConverter {
 public:
  virtual ~BaseConverter() = default;

  // The regex Werkzeug gives this converter. We match without a regex engine, but
  // the text is what students see, and rules whose parts have the same regex share
  // a state in the matcher, as in Werkzeug.
  const std::string& regex() const { return regex_; }
  // Lower weighs less and is tried first: int and float 50, string and any 100, path 200.
  int weight() const { return weight_; }
  // False for path: it matches slashes too, so its part of the rule runs to the
  // end of the path instead of stopping at the next "/".
  bool part_isolating() const { return part_isolating_; }

  // Where a match starting at `pos` in `target` may end, in the order Python's
  // regex engine would try them: longest first for greedy patterns, shortest
  // first for path's lazy ".*?".
  virtual void match_ends(std::string_view target, std::size_t pos,
                          std::vector<std::size_t>& ends) const = 0;
  virtual ViewArg to_python(std::string_view value) const { return std::string(value); }

 protected:
  BaseConverter(std::string regex, int weight, bool part_isolating = true)
      : regex_(std::move(regex)), weight_(weight), part_isolating_(part_isolating) {}

 private:
  std::string regex_;
  int weight_;
  bool part_isolating_;
};

// <name>, <string:name>, <string(length=2):lang>: one path segment, no slash.
class UnicodeConverter : public BaseConverter {
 public:
  explicit UnicodeConverter(int minlength = 1, std::optional<int> maxlength = std::nullopt,
                            std::optional<int> length = std::nullopt);
  void match_ends(std::string_view target, std::size_t pos,
                  std::vector<std::size_t>& ends) const override;

 private:
  std::size_t min_;
  std::optional<std::size_t> max_;  // nothing: as many as there are
};

// <path:p>: like string, but slashes are allowed.
class PathConverter : public BaseConverter {
 public:
  PathConverter();
  void match_ends(std::string_view target, std::size_t pos,
                  std::vector<std::size_t>& ends) const override;
};

// <any(about, help):page>: one of the items, tried in the order given.
class AnyConverter : public BaseConverter {
 public:
  explicit AnyConverter(std::vector<std::string> items);
  void match_ends(std::string_view target, std::size_t pos,
                  std::vector<std::size_t>& ends) const override;

 private:
  std::vector<std::string> items_;
};

// <int:id>: digits. Leading zeros are accepted ("007" gives 7), as in Werkzeug 2.2.
class IntegerConverter : public BaseConverter {
 public:
  struct Options {
    int fixed_digits = 0;  // 0: any number of digits
    std::optional<std::int64_t> min, max;
    bool is_signed = false;
  };
  explicit IntegerConverter(Options options);
  IntegerConverter() : IntegerConverter(Options{}) {}
  void match_ends(std::string_view target, std::size_t pos,
                  std::vector<std::size_t>& ends) const override;
  ViewArg to_python(std::string_view value) const override;

 private:
  Options options_;
};

// <float:x>: digits, a dot, digits ("1.5"; "1" and ".5" do not match).
class FloatConverter : public BaseConverter {
 public:
  struct Options {
    std::optional<double> min, max;
    bool is_signed = false;
  };
  explicit FloatConverter(Options options);
  FloatConverter() : FloatConverter(Options{}) {}
  void match_ends(std::string_view target, std::size_t pos,
                  std::vector<std::size_t>& ends) const override;
  ViewArg to_python(std::string_view value) const override;

 private:
  Options options_;
};

// <uuid:id>: 8-4-4-4-12 hex digits; the view gets it in lower case, as str(uuid.UUID(...)).
class UUIDConverter : public BaseConverter {
 public:
  UUIDConverter();
  void match_ends(std::string_view target, std::size_t pos,
                  std::vector<std::size_t>& ends) const override;
  ViewArg to_python(std::string_view value) const override;
};

// The arguments between the parentheses of <int(min=1, max=9):n>, as Python
// literals with the quotes of strings removed.
struct ConverterArgs {
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> kwargs;
};
// Throws std::invalid_argument for text that is not a list of literals.
ConverterArgs parse_converter_args(std::string_view argstr);

// Map.converters[name](*args, **kwargs): "default" and "string" are the same.
// Throws std::invalid_argument for an unknown converter or a bad argument, its message saying
// what was expected; an any without items is refused too, as it could match nothing.
std::unique_ptr<BaseConverter> make_converter(std::string_view name, const ConverterArgs& args);

}  // namespace reqtrace::flask
