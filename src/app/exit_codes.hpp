// The exit codes the command line promises: 0 ok, 1 the run failed, 2 bad input.
#pragma once

namespace reqtrace::app {

enum ExitCode { kOk = 0, kRunFailed = 1, kBadInput = 2 };

}  // namespace reqtrace::app
