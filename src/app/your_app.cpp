#include "app/your_app.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/recording.hpp"
#include "sim/topology/scenario_app.hpp"

namespace reqtrace::app {

namespace {

bool is_method(const std::string& word) {
  return !word.empty() &&
         std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

std::optional<scenario::Request> parse_request_option(const std::string& text, std::string& error) {
  const std::string expected =
      "expected \"METHOD PATH\" or \"METHOD PATH FORM\", e.g. \"GET /\" or \"POST /form "
      "name=ada\"";
  const auto first_space = text.find(' ');
  const auto second_space =
      first_space == std::string::npos ? std::string::npos : text.find(' ', first_space + 1);
  scenario::Request request;
  request.method = text.substr(0, first_space);
  request.path = first_space == std::string::npos
                     ? ""
                     : text.substr(first_space + 1, second_space - first_space - 1);
  if (!is_method(request.method) || request.path.empty() || request.path[0] != '/') {
    error = "--request \"" + text + "\": " + expected;
    return std::nullopt;
  }
  if (second_space != std::string::npos) {
    // name=value pairs joined by '&', as a browser encodes a form.
    std::string_view form = std::string_view(text).substr(second_space + 1);
    while (!form.empty()) {
      const auto amp = form.find('&');
      const std::string_view pair = form.substr(0, amp);
      const auto equals = pair.find('=');
      if (equals == 0 || equals == std::string_view::npos) {
        error = "--request \"" + text + "\": the form part \"";
        error.append(pair).append("\" is not name=value; ").append(expected);
        return std::nullopt;
      }
      // As typed: the browser encodes the form when it sends it.
      request.form[std::string(pair.substr(0, equals))] = std::string(pair.substr(equals + 1));
      form = amp == std::string_view::npos ? std::string_view() : form.substr(amp + 1);
    }
  }
  return request;
}

std::optional<scenario::Scenario> lesson_from_options(const Options& options,
                                                      std::string_view command, std::ostream& err) {
  const std::string prefix = "reqtrace " + std::string(command) + ": ";
  const auto wsgi = options.value("--wsgi");
  if (options.positional.size() > 1 || (options.positional.empty() && !wsgi)) {
    err << prefix << "expected one scenario (a file or a name such as hello-wsgi)"
        << (command == "gui" ? "" : ", or --wsgi FILE.py") << "\n";
    return std::nullopt;
  }
  auto scenario = load_scenario_reporting(
      options.positional.empty() ? kYourAppScenario : options.positional[0], err);
  if (!scenario) return std::nullopt;
  if (wsgi) {
    // The file is the user's, named from where they stand, not from the scenario's folder.
    scenario->wsgi = std::filesystem::absolute(*wsgi).lexically_normal().string();
    scenario->folder.clear();
    scenario->routes.clear();
    scenario->source["app"] = {{"wsgi", scenario->wsgi}};
  }
  if (const auto requests = options.every("--request"); !requests.empty()) {
    scenario->requests.clear();
    scenario->source["requests"] = nlohmann::json::array();
    for (const std::string& text : requests) {
      std::string error;
      auto request = parse_request_option(text, error);
      if (!request) {
        err << prefix << error << "\n";
        return std::nullopt;
      }
      nlohmann::json written = {{"method", request->method}, {"path", request->path}};
      if (!request->form.empty()) written["form"] = request->form;
      scenario->source["requests"].push_back(std::move(written));
      scenario->requests.push_back(std::move(*request));
    }
  }
  // A broken app is the user's input, reported before anything starts (exit 2), not a run that
  // failed; the check imports it in a child, as a worker would.
  if (std::string error; !topology::app_imports(*scenario, error)) {
    err << prefix << error << "\n";
    return std::nullopt;
  }
  return scenario;
}

}  // namespace reqtrace::app
