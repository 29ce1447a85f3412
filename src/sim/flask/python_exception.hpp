// An exception a view raises, named as Python names it: ZeroDivisionError, KeyError, ...
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace reqtrace::flask {

// The message Python prints for a typical case of the exception ("division by
// zero" for ZeroDivisionError); empty for a name we do not know.
std::string plausible_message(std::string_view name);

// What a C++ view throws to play a Python view that raises. Flask catches it in
// handle_exception, logs the traceback and answers 500.
class PythonException : public std::exception {
 public:
  // With the message Python would typically print for that exception.
  explicit PythonException(const std::string& name);
  PythonException(std::string name, std::string message);

  const std::string& name() const { return name_; }
  const std::string& message() const { return message_; }
  // The traceback's last line: "ZeroDivisionError: division by zero", or the bare name.
  const char* what() const noexcept override { return line_.c_str(); }

 private:
  std::string name_;
  std::string message_;
  std::string line_;
};

}  // namespace reqtrace::flask
