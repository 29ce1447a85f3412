// The program the cgi model runs for each request: reqtrace itself, as `reqtrace cgi SCENARIO`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "scenario/scenario.hpp"
#include "sim/cgi/cgi_process.hpp"

namespace reqtrace::topology {

// `binary` is the reqtrace executable; empty means this process's own. The scenario goes to
// each program in a sealed memfd it inherits (named by /proc/self/fd/N), so nothing is written
// to disk and nothing is left behind; the memfd is the CgiProgram's to close. nullopt with
// `error` set when it cannot be made.
std::optional<server::CgiProgram> reqtrace_cgi_program(const scenario::Scenario& scenario,
                                                       const std::filesystem::path& binary,
                                                       std::string& error);

}  // namespace reqtrace::topology
