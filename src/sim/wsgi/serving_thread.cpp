#include "sim/wsgi/serving_thread.hpp"

namespace reqtrace::wsgi {

namespace {
thread_local const ServingThread* innermost = nullptr;
}  // namespace

ServingThread::ServingThread(const trace::Emitter& voice, int req)
    : voice_(&voice), req_(req), outer_(innermost) {
  innermost = this;
}

ServingThread::~ServingThread() {
  innermost = outer_;
}

const ServingThread* ServingThread::current() {
  return innermost;
}

}  // namespace reqtrace::wsgi
