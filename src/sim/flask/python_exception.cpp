#include "sim/flask/python_exception.hpp"

#include <array>
#include <utility>

namespace reqtrace::flask {

std::string plausible_message(std::string_view name) {
  // What these exceptions say in the situations a beginner's view meets them.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kMessages = {{
      {"ZeroDivisionError", "division by zero"},
      {"KeyError", "'id'"},
      {"ValueError", "invalid literal for int() with base 10: 'abc'"},
      {"RuntimeError", "something went wrong"},
      {"TypeError", "unsupported operand type(s) for +: 'int' and 'str'"},
      {"IndexError", "list index out of range"},
      {"AttributeError", "'NoneType' object has no attribute 'name'"},
      {"NameError", "name 'undefined_name' is not defined"},
  }};
  for (const auto& [known, message] : kMessages)
    if (known == name) return std::string(message);
  return {};
}

PythonException::PythonException(const std::string& name)
    : PythonException(name, plausible_message(name)) {}

PythonException::PythonException(std::string name, std::string message)
    : name_(std::move(name)), message_(std::move(message)) {
  line_ = message_.empty() ? name_ : name_ + ": " + message_;
}

}  // namespace reqtrace::flask
