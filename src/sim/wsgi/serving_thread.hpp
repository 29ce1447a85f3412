// Which request the calling thread is serving, and the thread's voice on its own timeline lane.
#pragma once

#include "trace/emitter.hpp"

namespace reqtrace::wsgi {

// The server holds one around app(environ, start_response), the body's iteration and close():
// what happens to the serving thread inside the app that is not the app's own doing (it waited
// for Python's GIL) is said on the thread's lane, for its request. Per thread; they nest.
class ServingThread {
 public:
  // `voice` (the server's, on this thread's lane) must outlive this.
  ServingThread(const trace::Emitter& voice, int req);
  ~ServingThread();
  ServingThread(const ServingThread&) = delete;
  ServingThread& operator=(const ServingThread&) = delete;

  // The calling thread's innermost ServingThread, or nullptr when it is serving no request.
  static const ServingThread* current();

  const trace::Emitter& voice() const { return *voice_; }
  int req() const { return req_; }

 private:
  const trace::Emitter* voice_;
  int req_;
  const ServingThread* outer_;
};

}  // namespace reqtrace::wsgi
