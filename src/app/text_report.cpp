#include "app/text_report.hpp"

#include <nlohmann/json.hpp>

#include "app/text_table.hpp"

namespace reqtrace::app {
namespace {

constexpr std::size_t kActionWidth = 64;
constexpr std::size_t kTrackerColumns = 6;  // steps per block, so the tracker fits a terminal

const char* level_name(int level) {
  switch (level) {
    case 1:
      return "overview";
    case 2:
      return "server internals";
    default:
      return "framework internals";
  }
}

}  // namespace

void print_execution_table(std::ostream& out, const lesson::Walkthrough& walkthrough,
                           const std::vector<trace::Event>& events) {
  const int level = walkthrough.level();
  out << "Execution table (level " << level << ": " << level_name(level) << ")\n\n";
  std::vector<std::string> header = {"Step", "Action"};
  for (std::size_t v = 0; v < walkthrough.variable_count(); ++v)
    header.push_back(walkthrough.variable(v).label);
  TextTable text(header);
  text.limit_column(1, kActionWidth);
  for (std::size_t s = 0; s < walkthrough.step_count(); ++s) {
    const lesson::ExecutionRow row = walkthrough.row(events, s);
    std::vector<std::string> cells = {std::to_string(row.number), row.action};
    cells.insert(cells.end(), row.values.begin(), row.values.end());
    text.add_row(std::move(cells));
  }
  text.print(out);
}

void print_variable_tracker(std::ostream& out, const lesson::Walkthrough& walkthrough) {
  out << "Variable tracker\n\n";
  if (walkthrough.variable_count() == 0) {
    out << "(this scenario tracks no variables)\n";
    return;
  }
  // Only the steps at which something changed get a column.
  const std::vector<std::size_t>& changing = walkthrough.changing_steps();
  const std::size_t steps = walkthrough.step_count();
  for (std::size_t first = 0; first == 0 || first < changing.size(); first += kTrackerColumns) {
    const std::size_t last = std::min(first + kTrackerColumns, changing.size());
    std::vector<std::string> header = {"Variable"};
    if (first == 0) header.emplace_back("Start");
    for (std::size_t k = first; k < last; ++k)
      header.push_back("After step " + std::to_string(changing[k] + 1));
    const bool final_block = last == changing.size();
    if (final_block) header.emplace_back("Final");
    TextTable text(header);
    for (std::size_t v = 0; v < walkthrough.variable_count(); ++v) {
      std::vector<std::string> cells = {walkthrough.variable(v).label};
      if (first == 0) cells.push_back(walkthrough.start(v));
      for (std::size_t k = first; k < last; ++k)
        cells.push_back(
            walkthrough.changed_at(changing[k], v) ? walkthrough.value_after(changing[k], v) : "·");
      if (final_block)
        cells.push_back(steps == 0 ? walkthrough.start(v) : walkthrough.value_after(steps - 1, v));
      text.add_row(std::move(cells));
    }
    text.print(out);
    if (!final_block) out << '\n';
    if (changing.empty()) break;
  }
  out << "(· : unchanged at that step)\n";
}

// A step's place in the walk: "Step 3 of 6  [server · calling_app · request 1]" and its action.
void print_step_head(std::ostream& out, const lesson::Walkthrough& walkthrough,
                     const std::vector<trace::Event>& events, std::size_t step) {
  const trace::Event& event = events[walkthrough.steps()[step].event];
  out << "Step " << step + 1 << " of " << walkthrough.step_count() << "  [" << event.lane << " · "
      << trace::name_of(event.phase);
  if (event.req) out << " · request " << event.req;
  out << "]\n  " << event.msg << "\n";
}

// What the step changed and what the lesson says of it: shown after the step's questions, so
// that it does not answer them.
void print_step_story(std::ostream& out, const lesson::Walkthrough& walkthrough,
                      const lesson::NarrationView& narration, std::size_t step) {
  for (std::size_t v = 0; v < walkthrough.variable_count(); ++v)
    if (walkthrough.changed_at(step, v))
      out << "  " << walkthrough.variable(v).label << ": " << walkthrough.value_before(step, v)
          << " → " << walkthrough.value_after(step, v) << "\n";
  if (!narration.words.empty()) out << "  » " << narration.words << "\n";
  for (const scenario::KeyMoment* moment : narration.key_moments)
    out << "  ★ Key moment: " << moment->title << (moment->text.empty() ? "" : " — ")
        << moment->text << "\n";
  out << "\n";
}

void print_walkthrough(std::ostream& out, const scenario::Scenario& scenario,
                       const std::vector<trace::Event>& events, int level) {
  out << scenario.title << "\n" << std::string(display_width(scenario.title), '=') << "\n";
  if (!scenario.summary.empty()) out << scenario.summary << "\n";
  out << "\n";
  const lesson::Walkthrough walkthrough(scenario.track, level, events);
  lesson::Narrator narrator(&scenario);
  narrator.update(events);
  for (std::size_t s = 0; s < walkthrough.step_count(); ++s) {
    print_step_head(out, walkthrough, events, s);
    print_step_story(out, walkthrough, narrator.at(events, walkthrough.steps(), s), s);
  }
  print_execution_table(out, walkthrough, events);
  out << "\n";
  print_variable_tracker(out, walkthrough);
  if (!scenario.snapshot.empty()) {
    out << "\nConcept snapshot\n\n";
    for (const auto& line : scenario.snapshot) out << "  • " << line << "\n";
  }
}

nlohmann::json steps_json(const scenario::Scenario& scenario,
                          const std::vector<trace::Event>& events, int level) {
  const lesson::Walkthrough walkthrough(scenario.track, level, events);
  nlohmann::json steps = nlohmann::json::array();
  for (std::size_t s = 0; s < walkthrough.step_count(); ++s) {
    const lesson::ExecutionRow row = walkthrough.row(events, s);
    const trace::Event& event = events[row.event];
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t v = 0; v < row.values.size(); ++v)
      values[scenario.track[v].var] = row.values[v];
    steps.push_back({{"step", row.number},
                     {"seq", event.seq},
                     {"t_ns", event.t_ns},
                     {"actor", trace::name_of(event.actor)},
                     {"lane", event.lane},
                     {"phase", trace::name_of(event.phase)},
                     {"req", event.req},
                     {"action", row.action},
                     {"values", values}});
  }
  nlohmann::json start = nlohmann::json::object();
  for (std::size_t v = 0; v < walkthrough.variable_count(); ++v)
    start[scenario.track[v].var] = walkthrough.start(v);
  return {{"scenario", scenario.id}, {"level", level}, {"start", start}, {"steps", steps}};
}

}  // namespace reqtrace::app
