// wsgi.errors (PEP 3333): the text stream the app writes its error output to, as the server keeps
// it.
#pragma once

#include <string>
#include <string_view>

#include "trace/emitter.hpp"

namespace reqtrace::wsgi {

// What is written goes to stderr at once, as gunicorn's error log (stderr by default) gets it, and
// is kept for the request. The trace gets it a line at a time: each write that ends a line says
// the lines it ends, as one wsgi_errors event in the writer's voice (Flask's logger writes a whole
// record, traceback and all, in one write); flush() says a line left unfinished.
class ErrorsStream {
 public:
  void write(std::string_view text, const trace::Emitter& writer, int req);
  void flush(const trace::Emitter& writer, int req);

  // Everything written so far.
  const std::string& text() const { return text_; }

 private:
  void say(std::string_view lines, const trace::Emitter& writer, int req) const;

  std::string text_;
  std::size_t said_ = 0;  // how much of text_ the trace has had
};

}  // namespace reqtrace::wsgi
