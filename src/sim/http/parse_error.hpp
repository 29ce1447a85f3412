// Why a request was refused: the status to answer and a sentence saying what was wrong.
#pragma once

#include <string>

namespace reqtrace::http {

// One struct rather than gunicorn's exception classes (InvalidRequestLine, InvalidHeader,
// LimitRequestLine, ...): the server only needs the status to answer and a message to show.
struct ParseError {
  int status = 400;    // 400, 413, 414, 431, 501 or 505
  std::string reason;  // the standard reason phrase for status, e.g. "Bad Request"
  std::string detail;  // what was wrong, for a student; bytes from the request are escaped
};

}  // namespace reqtrace::http
