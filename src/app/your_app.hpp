// --wsgi and --request: a student's own Python app, and the requests to send it, in a lesson.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "app/command_line.hpp"
#include "scenario/scenario.hpp"

namespace reqtrace::app {

// The lesson a --wsgi run tells when no scenario is named: the generic story of one request
// through the server and into whatever the app does.
inline constexpr const char* kYourAppScenario = "your-app";

// The scenario a command works on: its one positional SCENARIO, or your-app when --wsgi is
// given without one. --wsgi FILE.py[:NAME] (relative to the working directory) replaces the
// scenario's app with that real one; each --request "METHOD PATH [FORM]" replaces its requests,
// in order. nullopt after printing every problem to `err`, each beginning "reqtrace COMMAND: ".
std::optional<scenario::Scenario> lesson_from_options(const Options& options,
                                                      std::string_view command, std::ostream& err);

// "GET /", "POST /form name=ada&lang=en": FORM is sent as a urlencoded form. nullopt with
// `error` saying what was expected.
std::optional<scenario::Request> parse_request_option(const std::string& text, std::string& error);

}  // namespace reqtrace::app
