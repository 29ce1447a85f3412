// reqtrace gui in a build without the viewer (REQTRACE_GUI=OFF): say so; plain reqtrace walks
// through in text.
#include <iostream>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"

namespace reqtrace::app {

int gui_command(const Args&) {
  std::cerr << "reqtrace gui: this reqtrace was built without the viewer (REQTRACE_GUI=OFF); "
               "use reqtrace run or reqtrace replay\n";
  return kBadInput;
}

int default_command() {
  return walkthrough_command();
}

}  // namespace reqtrace::app
