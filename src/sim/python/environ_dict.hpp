// The environ a Python WSGI app is called with: a real dict, as PEP 3333 describes it.
#pragma once

#include <memory>

#include "sim/python/app_call.hpp"
#include "sim/wsgi/environ.hpp"

namespace reqtrace::python {

// Every variable as a native str decoded from latin-1 (the "bytes as str" rule of PEP 3333),
// wsgi.version (1, 0), wsgi.input a binary stream over the body, wsgi.errors, and the
// multithread, multiprocess and run_once flags as the server model set them. Takes the body out
// of `environ.input`. Needs the GIL.
Ref environ_dict(wsgi::Environ& environ, const std::shared_ptr<AppCall>& call);

}  // namespace reqtrace::python
