// The scenario format, top level. A scenario is one JSON object; // and /* */ comments are allowed.
//
//   "id"           required; lowercase letters, digits and "-": "hello-wsgi".
//   "title"        required; a string.
//   "summary"      a string.
//   "topology"     an object: proxy, server and middleware (read_topology.cpp).
//   "app"          required; an object: the routes, or a real Python app (read_app.cpp).
//   "requests"     required; a non-empty array: what the run sends (read_requests.cpp).
//   "track"        an array: the variables shown beside the steps (read_lesson.cpp).
//   "narration"    an object: phase name -> what to say (read_lesson.cpp).
//   "quizzes"      an array (read_lesson.cpp).
//   "key_moments"  an array (read_lesson.cpp).
//   "snapshot"     an array of strings: the short lines a student keeps.
//
// In every object of the format, a key the format does not know is an error, to catch typos;
// keys starting with "_" or "$" are ignored everywhere, so "_comment" and "$schema" may be used.
// (Objects that map free names, such as headers and form fields, take any name.)
// Every problem is reported, each at its JSON pointer; defaults are as in scenario.hpp.
#include "scenario/read_scenario.hpp"

#include <nlohmann/json.hpp>

#include "scenario/checker.hpp"
#include "scenario/names.hpp"
#include "scenario/sections.hpp"

namespace reqtrace::scenario {

using nlohmann::json;

Scenario read_scenario(Checker& checker, const json& document, const RuleReader& read_rule) {
  Scenario scenario;
  scenario.source = document;
  if (!document.is_object()) {
    checker.report("",
                   "expected a scenario object at the top level, got " + describe_value(document));
    return scenario;
  }
  Fields fields(checker, document, "",
                {"id", "title", "summary", "topology", "app", "requests", "track", "narration",
                 "quizzes", "key_moments", "snapshot"});
  fields.read("id", Need::Required, scenario.id, [](const std::string& id) {
    if (is_scenario_id(id)) return std::string();
    return "expected an id of lowercase letters, digits and \"-\", got " + in_quotes(id);
  });
  fields.read("title", Need::Required, scenario.title);
  fields.read("summary", Need::Optional, scenario.summary);
  if (const json* topology = fields.get("topology"))
    scenario.topology = read_topology(checker, *topology, fields.pointer("topology"));
  if (const json* app = fields.get("app", Need::Required))
    read_app(checker, *app, fields.pointer("app"), read_rule, scenario);

  // The lesson refers to the requests and the tracked vars, so those are read first.
  LessonContext context;
  if (const json* requests = fields.get("requests", Need::Required)) {
    scenario.requests = read_requests(checker, *requests, fields.pointer("requests"));
    // Each client of an entry sends a request with a number of its own.
    if (requests->is_array()) {
      std::size_t count = 0;
      for (const Request& request : scenario.requests) count += request.clients;
      context.request_count = count;
    }
  }
  if (const json* track = fields.get("track")) {
    scenario.track = read_track(checker, *track, fields.pointer("track"));
    // From the document, so that a var whose entry has another problem causes no second one.
    if (track->is_array())
      for (const json& tracked : *track)
        if (tracked.is_object() && tracked.contains("var") && tracked["var"].is_string())
          context.tracked.push_back(tracked["var"].get<std::string>());
  }
  if (const json* narration = fields.get("narration"))
    scenario.narration = read_narration(checker, *narration, fields.pointer("narration"));
  if (const json* quizzes = fields.get("quizzes"))
    scenario.quizzes = read_quizzes(checker, *quizzes, fields.pointer("quizzes"), context);
  if (const json* moments = fields.get("key_moments"))
    scenario.key_moments =
        read_key_moments(checker, *moments, fields.pointer("key_moments"), context);
  fields.read("snapshot", Need::Optional, scenario.snapshot);
  return scenario;
}

}  // namespace reqtrace::scenario
