#include "app/text_report.hpp"

#include <nlohmann/json.hpp>

#include "app/text_table.hpp"
#include "lesson/anchor.hpp"

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

void print_execution_table(std::ostream& out, const lesson::ExecutionTable& table) {
  out << "Execution table (level " << table.level << ": " << level_name(table.level) << ")\n\n";
  std::vector<std::string> header = {"Step", "Action"};
  header.insert(header.end(), table.labels.begin(), table.labels.end());
  TextTable text(header);
  text.limit_column(1, kActionWidth);
  for (const auto& row : table.rows) {
    std::vector<std::string> cells = {std::to_string(row.number), row.action};
    cells.insert(cells.end(), row.values.begin(), row.values.end());
    text.add_row(std::move(cells));
  }
  text.print(out);
}

void print_variable_tracker(std::ostream& out, const lesson::ExecutionTable& table) {
  out << "Variable tracker\n\n";
  if (table.labels.empty()) {
    out << "(this scenario tracks no variables)\n";
    return;
  }
  // Only the steps at which something changed get a column.
  std::vector<std::size_t> changing;
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    for (bool changed : table.rows[r].changed)
      if (changed) {
        changing.push_back(r);
        break;
      }
  for (std::size_t first = 0; first == 0 || first < changing.size(); first += kTrackerColumns) {
    const std::size_t last = std::min(first + kTrackerColumns, changing.size());
    std::vector<std::string> header = {"Variable"};
    if (first == 0) header.push_back("Start");
    for (std::size_t k = first; k < last; ++k)
      header.push_back("After step " + std::to_string(table.rows[changing[k]].number));
    const bool final_block = last == changing.size();
    if (final_block) header.push_back("Final");
    TextTable text(header);
    for (std::size_t v = 0; v < table.labels.size(); ++v) {
      std::vector<std::string> cells = {table.labels[v]};
      if (first == 0) cells.push_back(table.start[v]);
      for (std::size_t k = first; k < last; ++k) {
        const auto& row = table.rows[changing[k]];
        cells.push_back(row.changed[v] ? row.values[v] : "·");
      }
      if (final_block)
        cells.push_back(table.rows.empty() ? table.start[v] : table.rows.back().values[v]);
      text.add_row(std::move(cells));
    }
    text.print(out);
    if (!final_block) out << '\n';
    if (changing.empty()) break;
  }
  out << "(· : unchanged at that step)\n";
}

// A step's place in the walk: "Step 3 of 6  [server · calling_app · request 1]" and its action.
void print_step_head(std::ostream& out, const lesson::ExecutionTable& table,
                     const std::vector<trace::Event>& events, std::size_t step) {
  const auto& row = table.rows[step];
  const trace::Event& event = events[row.event];
  out << "Step " << row.number << " of " << table.rows.size() << "  [" << event.lane << " · "
      << trace::name_of(event.phase);
  if (event.req) out << " · request " << event.req;
  out << "]\n  " << row.action << "\n";
}

// What the step changed and what the lesson says of it: shown after the step's questions, so
// that it does not answer them.
void print_step_story(std::ostream& out, const lesson::ExecutionTable& table,
                      const std::vector<lesson::Step>& steps, const MomentPlaces& moments,
                      std::size_t step) {
  const auto& row = table.rows[step];
  for (std::size_t v = 0; v < row.values.size(); ++v)
    if (row.changed[v])
      out << "  " << table.labels[v] << ": "
          << (step == 0 ? table.start[v] : table.rows[step - 1].values[v]) << " → " << row.values[v]
          << "\n";
  if (!row.narration.empty()) out << "  » " << row.narration << "\n";
  for (const auto& [index, moment] : moments)
    if (index >= steps[step].event && index < steps[step].end)
      out << "  ★ Key moment: " << moment->title << (moment->text.empty() ? "" : " — ")
          << moment->text << "\n";
  out << "\n";
}

MomentPlaces place_key_moments(const scenario::Scenario& scenario,
                               const std::vector<trace::Event>& events) {
  MomentPlaces places;
  for (const auto& moment : scenario.key_moments)
    if (auto at = lesson::find_anchor(events, moment.at)) places.emplace_back(*at, &moment);
  return places;
}

void print_walkthrough(std::ostream& out, const scenario::Scenario& scenario,
                       const std::vector<trace::Event>& events, int level) {
  out << scenario.title << "\n" << std::string(display_width(scenario.title), '=') << "\n";
  if (!scenario.summary.empty()) out << scenario.summary << "\n";
  out << "\n";
  const auto table = lesson::build_execution_table(scenario, events, level);
  const auto moments = place_key_moments(scenario, events);
  const auto steps = lesson::steps_at_level(events, level);
  for (std::size_t s = 0; s < table.rows.size(); ++s) {
    print_step_head(out, table, events, s);
    print_step_story(out, table, steps, moments, s);
  }
  print_execution_table(out, table);
  out << "\n";
  print_variable_tracker(out, table);
  if (!scenario.snapshot.empty()) {
    out << "\nConcept snapshot\n\n";
    for (const auto& line : scenario.snapshot) out << "  • " << line << "\n";
  }
}

nlohmann::json steps_json(const scenario::Scenario& scenario,
                          const std::vector<trace::Event>& events, int level) {
  const auto table = lesson::build_execution_table(scenario, events, level);
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& row : table.rows) {
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
  for (std::size_t v = 0; v < table.start.size(); ++v)
    start[scenario.track[v].var] = table.start[v];
  return {{"scenario", scenario.id}, {"level", level}, {"start", start}, {"steps", steps}};
}

}  // namespace reqtrace::app
