// What each pane of the viewer shows, computed without a window: hello-wsgi at
// every level and step, the transport's state machine, the timeline's queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "hello_trace.hpp"
#include "lesson/view/inspector.hpp"
#include "lesson/view/synthetic_trace.hpp"
#include "lesson/view/viewer_model.hpp"

namespace reqtrace::lesson {
namespace {

using trace::Actor;
using trace::Phase;

// ---- Walkthrough: a busy trace arriving one event at a time ----

TEST(Walkthrough, GrowingABusyTraceGivesTheSameTable) {
  const auto events = synthetic_trace(3000);
  const auto scenario = synthetic_scenario();
  for (int level = 1; level <= 3; ++level) {
    Walkthrough whole(scenario.track, level, events), growing(scenario.track, level);
    std::vector<trace::Event> arrived;
    for (const auto& event : events) {
      arrived.push_back(event);
      growing.update(arrived);
    }
    ASSERT_EQ(growing.step_count(), whole.step_count());
    EXPECT_EQ(growing.changing_steps(), whole.changing_steps());
    for (std::size_t s = 0; s < whole.step_count(); s += 7)
      EXPECT_EQ(growing.row(events, s).values, whole.row(events, s).values) << "step " << s;
  }
}

// ---- Transport: the cursor, play and follow live ----

TEST(Transport, StepsAndStaysWithinTheSteps) {
  Transport transport;
  transport.next();
  EXPECT_EQ(transport.step(), 0u);
  transport.set_count(6);
  transport.next();
  transport.next();
  EXPECT_EQ(transport.step(), 2u);
  transport.back();
  EXPECT_EQ(transport.step(), 1u);
  transport.last();
  EXPECT_EQ(transport.step(), 5u);
  transport.next();
  EXPECT_EQ(transport.step(), 5u);
  transport.first();
  EXPECT_TRUE(transport.at_first());
  transport.go_to(99);
  EXPECT_EQ(transport.step(), 5u);
  transport.set_count(3);
  EXPECT_EQ(transport.step(), 2u);
}

TEST(Transport, PlaysAtItsSpeedAndStopsAtTheEnd) {
  Transport transport;
  transport.set_count(10);
  transport.play();
  EXPECT_FALSE(transport.tick(0.5));  // half a step at 1×
  EXPECT_TRUE(transport.tick(0.5));
  EXPECT_EQ(transport.step(), 1u);
  transport.set_speed(4.0);
  transport.tick(1.0);
  EXPECT_EQ(transport.step(), 5u);
  transport.set_speed(0.3);
  EXPECT_EQ(transport.speed(), 0.25);
  transport.slower();
  EXPECT_EQ(transport.speed(), 0.25);
  transport.faster();
  transport.faster();
  transport.faster();
  transport.faster();
  EXPECT_EQ(transport.speed(), 4.0);
  transport.tick(100.0);
  EXPECT_EQ(transport.step(), 9u);
  EXPECT_FALSE(transport.playing());
  transport.toggle_play();  // at the end, play starts over
  EXPECT_TRUE(transport.playing());
  EXPECT_EQ(transport.step(), 0u);
  transport.toggle_play();
  EXPECT_FALSE(transport.tick(5.0));
}

TEST(Transport, FollowLiveKeepsTheNewestStepUntilStepBack) {
  Transport transport;
  transport.set_following(true);
  transport.set_count(3);
  EXPECT_EQ(transport.step(), 2u);
  transport.set_count(8);
  EXPECT_EQ(transport.step(), 7u);
  transport.back();
  EXPECT_FALSE(transport.following());
  transport.set_count(12);
  EXPECT_EQ(transport.step(), 6u);
  transport.last();
  EXPECT_TRUE(transport.following());
  transport.set_count(13);
  EXPECT_EQ(transport.step(), 12u);
  transport.go_to(4);
  EXPECT_FALSE(transport.following());
}

TEST(Transport, RelocateKeepsTheMomentWhenTheLevelChanges) {
  Transport transport;
  transport.set_count(6);
  transport.go_to(2);
  transport.relocate(8, 23);
  EXPECT_EQ(transport.step(), 8u);
  EXPECT_EQ(transport.count(), 23u);
}

// ---- The viewer model: hello-wsgi at each level and step ----

struct Expected {
  const char* action_starts;
  std::vector<std::string> values;
  const char* lit;          // the lit box's title
  const char* travel_from;  // the arrow the request is on, "" when none
  const char* travel_to;
  bool towards_app;
};

// The classic lesson, level 1, step by step: the table, the flow diagram.
const std::vector<Expected> kOverview = {
    {"Server starts and listens",
     {"Listening for requests", "Not called yet", "No"},
     "WSGI server",
     "",
     "",
     true},
    {"Request arrives: GET / HTTP/1.1",
     {"Request received", "Not called yet", "No"},
     "WSGI server",
     "",
     "",
     true},
    {"Server calls the app",
     {"Processing request", "Running home() route", "No"},
     "WSGI server",
     "WSGI server",
     "Flask app",
     true},
    {"App returns 'Hello from Flask!'",
     {"Waiting to send response", "Response ready", "No"},
     "WSGI server",
     "WSGI server",
     "Flask app",
     false},
    {"Server sends the response: 200 OK",
     {"Idle, waiting for next request", "Idle", "Yes"},
     "WSGI server",
     "Browser",
     "WSGI server",
     false},
    {"Client receives the response: 200 OK",
     {"Idle, waiting for next request", "Idle", "Yes"},
     "Browser",
     "Browser",
     "WSGI server",
     false},
};

TEST(ViewerModel, TheOverviewStepByStep) {
  const auto& [scenario, events] = hello();
  ViewerModel model(scenario, 1);
  model.update(events);
  ASSERT_EQ(model.transport().count(), kOverview.size());
  for (std::size_t s = 0; s < kOverview.size(); ++s) {
    SCOPED_TRACE("step " + std::to_string(s + 1));
    model.transport().go_to(s);
    const Expected& expected = kOverview[s];
    const auto row = model.row(events, s);
    EXPECT_EQ(row.action.rfind(expected.action_starts, 0), 0u) << row.action;
    EXPECT_EQ(row.values, expected.values);

    const auto flow = model.flow(events);
    ASSERT_EQ(flow.boxes.size(), 3u);  // Browser, WSGI server, Flask app: no proxy here
    ASSERT_TRUE(flow.lit_box);
    EXPECT_EQ(flow.boxes[*flow.lit_box].title, expected.lit);
    if (std::string(expected.travel_from).empty()) {
      EXPECT_FALSE(flow.travel);
    } else {
      ASSERT_TRUE(flow.travel);
      const auto& arrow = flow.arrows[flow.travel->arrow];
      EXPECT_TRUE(arrow.active);
      EXPECT_EQ(flow.boxes[arrow.from].title, expected.travel_from);
      EXPECT_EQ(flow.boxes[arrow.to].title, expected.travel_to);
      EXPECT_EQ(flow.travel->towards_app, expected.towards_app);
    }
    const auto inspector = inspect(events[*model.selected_event()]);
    EXPECT_EQ(inspector.message, row.action);
  }
}

TEST(ViewerModel, EveryLevelAndStepAgreesAcrossPanes) {
  const auto& [scenario, events] = hello();
  for (int level = 1; level <= 3; ++level) {
    ViewerModel model(scenario, level);
    model.update(events);
    const auto steps = steps_at_level(events, level);
    ASSERT_EQ(model.transport().count(), steps.size());
    for (std::size_t s = 0; s < steps.size(); ++s) {
      SCOPED_TRACE("level " + std::to_string(level) + " step " + std::to_string(s + 1));
      model.transport().go_to(s);
      const trace::Event& event = events[steps[s].event];
      EXPECT_EQ(model.current_event(), steps[s].event);
      EXPECT_LE(event.level, level);
      // Table: the step's own event, and the scenario's words for its phase.
      const ExecutionRow row = model.row(events, s);
      EXPECT_EQ(row.event, steps[s].event);
      EXPECT_EQ(row.action, event.msg);
      const auto words = scenario.narration.find(std::string(trace::name_of(event.phase)));
      EXPECT_EQ(row.narration, words == scenario.narration.end() ? "" : words->second.any.text);
      // Tracker: the current column is the latest change at or before this step.
      const auto tracker = model.tracker(60);
      ASSERT_EQ(tracker.rows.size(), 3u);
      if (tracker.current_column) {
        EXPECT_LE(tracker.columns[*tracker.current_column], s);
      }
      for (std::size_t c = 0; c < tracker.columns.size(); ++c)
        for (const auto& tracked : tracker.rows)
          EXPECT_EQ(tracked.cells[c].future, tracker.columns[c] > s);
      // Flow diagram: the lit box is the acting lane's.
      const auto flow = model.flow(events);
      ASSERT_TRUE(flow.lit_box);
      EXPECT_EQ(flow.boxes[*flow.lit_box].lane, event.lane);
      EXPECT_EQ(flow.req, event.req);
      // Inspector: the current step's event.
      const auto inspector = inspect(events[*model.selected_event()]);
      EXPECT_EQ(inspector.message, event.msg);
      EXPECT_NE(inspector.heading.find(std::string(trace::name_of(event.phase))),
                std::string::npos);
    }
  }
}

TEST(ViewerModel, TheLevelChangeKeepsTheMoment) {
  const auto& [scenario, events] = hello();
  ViewerModel model(scenario, 1);
  model.update(events);
  model.transport().go_to(2);  // the server calls the app
  const auto moment = model.current_event();
  model.set_level(events, 3);
  EXPECT_EQ(model.current_event(), moment);
  EXPECT_EQ(events[*model.current_event()].phase, Phase::CallingApp);
  model.transport().next();  // at level 3, inside the app
  EXPECT_EQ(events[*model.current_event()].actor, Actor::App);
  model.set_level(events, 1);
  EXPECT_EQ(events[*model.current_event()].phase, Phase::CallingApp);
}

TEST(ViewerModel, APickedEventIsShownUntilTheCursorMoves) {
  const auto& [scenario, events] = hello();
  ViewerModel model(scenario, 1);
  model.update(events);
  // environ_built (level 2) is hidden inside step 2 at level 1.
  const auto environ_built = static_cast<std::size_t>(
      std::find_if(events.begin(), events.end(),
                   [](const trace::Event& e) { return e.phase == Phase::EnvironBuilt; }) -
      events.begin());
  model.select_event(environ_built);
  EXPECT_EQ(model.transport().step(), 1u);
  EXPECT_EQ(model.selected_event(), environ_built);
  model.transport().next();
  EXPECT_EQ(model.selected_event(), model.current_event());
}

TEST(ViewerModel, KeyMomentsAndNarrationAtTheirSteps) {
  const auto& [scenario, events] = hello();
  ViewerModel model(scenario, 1);
  model.update(events);
  model.transport().go_to(2);
  auto narration = model.narration(events);
  ASSERT_EQ(narration.key_moments.size(), 1u);
  EXPECT_EQ(narration.key_moments[0]->title, "The WSGI handshake");
  EXPECT_NE(narration.words.find("waiter"), std::string::npos);
  model.transport().go_to(3);
  narration = model.narration(events);
  ASSERT_EQ(narration.key_moments.size(), 1u);
  EXPECT_EQ(narration.key_moments[0]->title, "Ready is not sent");
  model.transport().last();
  EXPECT_TRUE(model.narration(events).last_step);
  EXPECT_TRUE(model.narration(events).key_moments.empty());
}

TEST(ViewerModel, LiveEventsGrowTheStepsAndAFollowerKeepsUp) {
  const auto& [scenario, events] = hello();
  ViewerModel model(scenario, 1);
  model.transport().set_following(true);
  std::vector<trace::Event> arrived;
  std::size_t steps_seen = 0;
  for (const auto& event : events) {
    arrived.push_back(event);
    model.update(arrived);
    if (model.transport().count() > steps_seen) {
      steps_seen = model.transport().count();
      EXPECT_EQ(model.transport().step(), steps_seen - 1);
    }
  }
  EXPECT_EQ(steps_seen, 6u);
  EXPECT_FALSE(model.update(arrived));
}

TEST(FlowDiagram, PreforkWorkersServeAndTheArbiterOnlyWatches) {
  const auto events = synthetic_trace(400, 3);
  ViewerModel model(synthetic_scenario(3), 2);
  model.update(events);
  const auto first_worker_event = static_cast<std::size_t>(
      std::find_if(events.begin(), events.end(),
                   [](const trace::Event& e) { return e.lane == "worker-2"; }) -
      events.begin());
  model.select_event(first_worker_event);
  const auto flow = model.flow(events);
  std::vector<std::string> titles;
  for (const auto& box : flow.boxes) titles.push_back(box.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"Browser", "Arbiter", "Worker 1", "Worker 2",
                                              "Worker 3", "Flask app"}));
  EXPECT_EQ(flow.arrows.size(), 6u);  // browser → each worker, each worker → app
  for (const auto& arrow : flow.arrows) {
    EXPECT_NE(arrow.from, 1u);
    EXPECT_NE(arrow.to, 1u);
  }
  ASSERT_TRUE(flow.lit_box);
  EXPECT_EQ(flow.boxes[*flow.lit_box].title, "Worker 2");
}

// ---- Tracker ----

TEST(Tracker, StartChangeColumnsAndFinal) {
  const auto& [scenario, events] = hello();
  ViewerModel model(scenario, 1);
  model.update(events);
  model.transport().go_to(2);
  const auto tracker = model.tracker(60);
  EXPECT_EQ(tracker.columns, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(tracker.current_column, 2u);
  const auto& server = tracker.rows[0];
  EXPECT_EQ(server.label, "WSGI Server State");
  EXPECT_EQ(server.start, "Idle");
  EXPECT_EQ(server.cells[2].text, "Processing request");
  EXPECT_TRUE(server.cells[2].changed);
  EXPECT_FALSE(server.cells[2].future);
  EXPECT_TRUE(server.cells[3].future);
  EXPECT_EQ(server.final_value.text, "Idle, waiting for next request");
  EXPECT_TRUE(server.final_value.future);
  const auto& sent = tracker.rows[2];
  EXPECT_EQ(sent.cells[0].text, "·");
  EXPECT_FALSE(sent.cells[0].changed);
  EXPECT_EQ(sent.next_change, 4u);
  EXPECT_EQ(sent.previous_change, std::nullopt);
}

TEST(Tracker, ManyChangesShowAWindowAroundTheCurrentStep) {
  const auto events = synthetic_trace(20000);
  ViewerModel model(synthetic_scenario(), 1);
  model.update(events);
  model.transport().go_to(model.transport().count() / 2);
  const auto tracker = model.tracker(20);
  EXPECT_EQ(tracker.columns.size(), 20u);
  EXPECT_TRUE(tracker.more_before);
  EXPECT_TRUE(tracker.more_after);
  ASSERT_TRUE(tracker.current_column);
  EXPECT_LE(tracker.columns[*tracker.current_column], model.transport().step());
  EXPECT_TRUE(std::is_sorted(tracker.columns.begin(), tracker.columns.end()));
}

// ---- Inspector ----

std::string joined(const std::vector<ByteRun>& line) {
  std::string text;
  for (const auto& run : line) text += run.marker ? "[" + run.text + "]" : run.text;
  return text;
}

const trace::Event& first_of(Phase phase) {
  const auto& events = hello().events;
  return *std::find_if(events.begin(), events.end(),
                       [phase](const trace::Event& e) { return e.phase == phase; });
}

TEST(Inspector, RawRequestBytesShowTheirLineEndings) {
  const auto view = inspect(first_of(Phase::RequestReceived));
  ASSERT_EQ(view.raw.size(), 1u);
  EXPECT_EQ(view.raw[0].title, "Request bytes as the server read them");
  const auto& lines = view.raw[0].lines;
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(joined(lines[0]), "GET / HTTP/1.1[\\r\\n]");
  EXPECT_EQ(joined(lines.back()), "[\\r\\n]");  // the blank line that ends the head
}

TEST(Inspector, EnvironIsASortedKeyValueTable) {
  const auto view = inspect(first_of(Phase::EnvironBuilt));
  ASSERT_FALSE(view.environ_rows.empty());
  EXPECT_TRUE(std::is_sorted(view.environ_rows.begin(), view.environ_rows.end(),
                             [](const KeyValue& a, const KeyValue& b) { return a.key < b.key; }));
  std::map<std::string, std::string> environ_map;
  for (const auto& [key, value] : view.environ_rows) environ_map[key] = value;
  EXPECT_EQ(environ_map["REQUEST_METHOD"], "GET");
  EXPECT_EQ(environ_map["PATH_INFO"], "/");
  EXPECT_EQ(environ_map["wsgi.url_scheme"], "http");
}

TEST(Inspector, StatusAndHeadersFromStartResponse) {
  const auto view = inspect(first_of(Phase::StartResponse));
  EXPECT_EQ(view.status, "200 OK");
  ASSERT_EQ(view.headers.size(), 2u);
  EXPECT_EQ(view.headers[0].key, "Content-Type");
  EXPECT_EQ(view.headers[1].key, "Content-Length");
  EXPECT_EQ(view.headers[1].value, "17");
  ASSERT_EQ(view.changes.size(), 1u);
  EXPECT_EQ(view.changes[0].key, "response.status");
}

TEST(Inspector, TheResponseAsSentAndAsReceived) {
  const auto sent = inspect(first_of(Phase::Sent));
  ASSERT_EQ(sent.raw.size(), 1u);
  EXPECT_EQ(joined(sent.raw[0].lines[0]), "HTTP/1.1 200 OK[\\r\\n]");
  EXPECT_EQ(joined(sent.raw[0].lines.back()), "Hello from Flask!");
  const auto received = inspect(first_of(Phase::Receive));
  EXPECT_EQ(received.status, "200 OK");
  EXPECT_FALSE(received.headers.empty());
  ASSERT_EQ(received.raw.size(), 1u);
  EXPECT_EQ(received.raw[0].title, "Body");
}

TEST(Inspector, InvisibleBytesBecomeMarkers) {
  EXPECT_EQ(joined(visible_lines("a\nb")[0]), "a[\\n]");
  EXPECT_EQ(joined(visible_lines("a\tb\rc")[0]), "a[\\t]b[\\r]c");
  EXPECT_EQ(joined(visible_lines(std::string("x\0y", 3))[0]), "x[\\x00]y");
  EXPECT_EQ(joined(visible_lines("caf\xC3\xA9 \xFF")[0]), "caf\xC3\xA9 [\\xFF]");
  EXPECT_EQ(joined(visible_lines("\xE2\x82")[0]), "[\\xE2][\\x82]");  // cut-short UTF-8
  EXPECT_EQ(visible_lines("a\r\nb\r\n").size(), 2u);
}

TEST(Inspector, DataThatIsNotJsonIsSaidSo) {
  trace::Event event;
  event.data = "{not json";
  EXPECT_FALSE(inspect(event).data_problem.empty());
  event.data = "";
  EXPECT_TRUE(inspect(event).data_problem.empty());
}

TEST(Inspector, ReadableDurations) {
  EXPECT_EQ(readable_duration(999), "999 ns");
  EXPECT_EQ(readable_duration(56700), "56.7 µs");
  EXPECT_EQ(readable_duration(1234000), "1.234 ms");
  EXPECT_EQ(readable_duration(2500000000), "2.500 s");
}

// ---- Timeline ----

TEST(Timeline, LanesFollowTheJourney) {
  const auto& events = hello().events;
  TimelineModel timeline;
  timeline.update(events);
  ASSERT_EQ(timeline.row_count(), 3u);
  EXPECT_EQ(timeline.row_name(0), "client");
  EXPECT_EQ(timeline.row_name(1), "server");
  EXPECT_EQ(timeline.row_name(2), "app");
  std::size_t total = 0;
  for (std::size_t row = 0; row < 3; ++row) total += timeline.events_in_row(row);
  EXPECT_EQ(total, events.size());

  const auto synthetic = synthetic_trace(2000, 12);
  TimelineModel busy;
  busy.update(synthetic);
  std::vector<std::string> names;
  for (std::size_t row = 0; row < busy.row_count(); ++row) names.push_back(busy.row_name(row));
  EXPECT_EQ(names.front(), "client");
  EXPECT_EQ(names[1], "server");
  EXPECT_EQ(names[2], "worker-1");
  EXPECT_EQ(names[3], "worker-2");
  EXPECT_EQ(names[11], "worker-10");
  EXPECT_EQ(names.back(), "app");
}

TEST(Timeline, FlowLinesFollowTheRequestAcrossLanes) {
  const auto& events = hello().events;
  TimelineModel timeline;
  timeline.update(events);
  TimeWindow window;
  window.fit(timeline.first_ns(), timeline.last_ns(), 100000);  // wide enough to merge nothing
  std::vector<TimelineFlow> flows;
  timeline.visible_flows(window, 100000, 0.0, flows);
  std::vector<std::pair<std::string, std::string>> hops;
  hops.reserve(flows.size());
  for (const auto& flow : flows)
    hops.emplace_back(timeline.row_name(flow.row_from), timeline.row_name(flow.row_to));
  // client → server → app → server (start_response) → app (teardown) → server → app (close)
  // → ... → client: every change of lane is a line.
  ASSERT_GE(hops.size(), 4u);
  EXPECT_EQ(hops.front(), (std::pair<std::string, std::string>{"client", "server"}));
  EXPECT_EQ(hops[1], (std::pair<std::string, std::string>{"server", "app"}));
  EXPECT_TRUE(std::any_of(hops.begin(), hops.end(),
                          [](const auto& hop) { return hop.second == "client"; }));
  for (const auto& flow : flows) EXPECT_LE(flow.x0, flow.x1);
}

TEST(Timeline, AZoomedInWindowShowsExactlyTheEventsInIt) {
  const auto events = synthetic_trace(50000);
  TimelineModel timeline;
  timeline.update(events);
  const std::size_t row = 2;  // worker-1
  ASSERT_EQ(timeline.row_name(row), "worker-1");
  TimeWindow window;
  window.start_ns = static_cast<double>(events[20000].t_ns);
  window.ns_per_px = 50;  // 1000 px = 50 µs
  std::vector<TimelineItem> items;
  timeline.visible_instants(row, window, 1000, 0.0, items);
  std::size_t expected = 0;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (timeline.row_of_event(i) == row && static_cast<double>(events[i].t_ns) >= window.t_of(0) &&
        static_cast<double>(events[i].t_ns) < window.t_of(1001))
      ++expected;
  EXPECT_EQ(items.size(), expected);
  for (const auto& item : items) {
    EXPECT_EQ(item.kind, TimelineItem::Kind::Instant);
    EXPECT_GE(item.x0, 0.0);
    EXPECT_LE(item.x0, 1001.0);
  }
}

// A thread's lane with a request that waited for the GIL twice: a gil_wait event stands for the
// wait that ended at it, from its data's wait_began_t_ns.
std::vector<trace::Event> two_waits_on_a_thread() {
  std::vector<trace::Event> events;
  auto add = [&](std::int64_t t, trace::Phase phase, std::string data = "") {
    trace::Event event;
    event.seq = events.size();
    event.t_ns = t;
    event.actor = trace::Actor::Worker;
    event.lane = "worker-1/thread-2";
    event.phase = phase;
    event.req = 1;
    event.level = 2;
    event.data = std::move(data);
    events.push_back(event);
  };
  add(0, trace::Phase::Busy);
  add(3'000'000, trace::Phase::GilWait, R"({"wait_began_t_ns": 1000000, "waited_ns": 2000000})");
  add(9'000'000, trace::Phase::GilWait, R"({"wait_began_t_ns": 8000000, "waited_ns": 1000000})");
  add(9'500'000, trace::Phase::GilWait, "{}");  // an older trace's wait, without its start
  add(10'000'000, trace::Phase::Idle);
  return events;
}

TEST(Timeline, AGilWaitIsABarFromWhenTheWaitBeganToWhenTheThreadHadTheGil) {
  const auto events = two_waits_on_a_thread();
  TimelineModel timeline;
  timeline.update(events);
  ASSERT_EQ(timeline.row_count(), 1u);
  TimeWindow window;
  window.ns_per_px = 10'000;  // 10 ms = 1000 px
  std::vector<TimelineItem> waits;
  timeline.visible_waits(0, window, 1000, 1.0, waits);
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_EQ(waits[0].kind, TimelineItem::Kind::Wait);
  EXPECT_DOUBLE_EQ(waits[0].x0, 100.0);
  EXPECT_DOUBLE_EQ(waits[0].x1, 300.0);
  EXPECT_EQ(waits[0].event, 1u);
  EXPECT_EQ(waits[0].req, 1);
  EXPECT_DOUBLE_EQ(waits[1].x0, 800.0);
  EXPECT_DOUBLE_EQ(waits[1].x1, 900.0);
  EXPECT_EQ(waits[1].event, 2u);

  // Zoomed out, the two are closer than the merge distance: one bar for both.
  window.ns_per_px = 1'000'000;
  waits.clear();
  timeline.visible_waits(0, window, 1000, 8.0, waits);
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0].count, 2u);
  EXPECT_DOUBLE_EQ(waits[0].x1, 9.0);

  // A window that only the first wait's middle is in still shows it.
  window.ns_per_px = 1'000;
  window.start_ns = 2'000'000;
  waits.clear();
  timeline.visible_waits(0, window, 500, 1.0, waits);  // 2 ms to 2.5 ms
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_DOUBLE_EQ(waits[0].x0, -1000.0);
}

// A live run: the events arrive in batches, a few of them late (threads stamp their own clocks).
TEST(Timeline, GrowingInBatchesShowsWhatTheWholeTraceShows) {
  auto events = synthetic_trace(5000);
  for (std::size_t i = 40; i + 1 < events.size(); i += 97)
    std::swap(events[i].t_ns, events[i + 1].t_ns);
  TimelineModel whole, growing;
  whole.update(events);
  std::vector<trace::Event> arrived;
  for (std::size_t from = 0; from < events.size(); from += 13) {
    arrived.insert(
        arrived.end(), events.begin() + static_cast<std::ptrdiff_t>(from),
        events.begin() + static_cast<std::ptrdiff_t>(std::min(from + 13, events.size())));
    growing.update(arrived);
  }
  ASSERT_EQ(growing.row_count(), whole.row_count());
  const double width = 800;
  for (double part : {1.0, 0.1, 0.01}) {
    TimeWindow window;
    window.fit(
        whole.first_ns(),
        whole.first_ns() + static_cast<std::int64_t>(
                               part * static_cast<double>(whole.last_ns() - whole.first_ns())),
        width);
    auto same = [](const std::vector<TimelineItem>& a, const std::vector<TimelineItem>& b) {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].kind != b[i].kind || a[i].event != b[i].event || a[i].count != b[i].count ||
            a[i].x0 != b[i].x0 || a[i].x1 != b[i].x1)
          return false;
      return true;
    };
    for (std::size_t row = 0; row < whole.row_count(); ++row) {
      std::vector<TimelineItem> one, other;
      whole.visible_spans(row, window, width, 2, one);
      growing.visible_spans(row, window, width, 2, other);
      EXPECT_TRUE(same(one, other)) << part << " " << whole.row_name(row);
      one.clear();
      other.clear();
      whole.visible_instants(row, window, width, 2, one);
      growing.visible_instants(row, window, width, 2, other);
      EXPECT_TRUE(same(one, other)) << part << " " << whole.row_name(row);
    }
    std::vector<TimelineFlow> one, other;
    whole.visible_flows(window, width, 2, one);
    growing.visible_flows(window, width, 2, other);
    ASSERT_EQ(one.size(), other.size()) << part;
    for (std::size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(one[i].event_from, other[i].event_from);
      EXPECT_EQ(one[i].event_to, other[i].event_to);
    }
  }
}

TEST(Timeline, AWholeBusyTraceMergesToAFewItemsPerPixel) {
  const auto events = synthetic_trace(200000);
  TimelineModel timeline;
  timeline.update(events);
  TimeWindow window;
  const double width = 1200, merge = 3;
  window.fit(timeline.first_ns(), timeline.last_ns(), width);
  for (std::size_t row = 0; row < timeline.row_count(); ++row) {
    std::vector<TimelineItem> items;
    timeline.visible_instants(row, window, width, merge, items);
    EXPECT_LE(items.size(), static_cast<std::size_t>(width / merge) + 2) << timeline.row_name(row);
    std::size_t covered = 0;
    for (const auto& item : items) covered += item.count;
    EXPECT_EQ(covered, timeline.events_in_row(row));  // a group counts every member
    std::vector<TimelineItem> spans;
    timeline.visible_spans(row, window, width, merge, spans);
    EXPECT_LE(spans.size(), static_cast<std::size_t>(width / merge) * 2 + 2);
  }
  std::vector<TimelineFlow> flows;
  timeline.visible_flows(window, width, merge, flows);
  EXPECT_LE(flows.size(), static_cast<std::size_t>(width / merge) + 2);
  EXPECT_FALSE(flows.empty());
}

TEST(Timeline, HoverFindsTheNearestEventAndTheSpan) {
  const auto& events = hello().events;
  TimelineModel timeline;
  timeline.update(events);
  TimeWindow window;
  window.fit(timeline.first_ns(), timeline.last_ns(), 1000);
  const auto receive = static_cast<std::size_t>(
      std::find_if(events.begin(), events.end(),
                   [](const trace::Event& e) { return e.phase == Phase::Receive; }) -
      events.begin());
  ASSERT_LT(receive, events.size());
  const double x = window.x_of(static_cast<double>(events[receive].t_ns));
  EXPECT_EQ(timeline.event_near(0, window, x + 2, 5), receive);
  EXPECT_EQ(timeline.event_near(0, window, x + 50, 5), std::nullopt);
  // The client's span for request 1 runs from send to receive.
  const auto span = timeline.span_at(0, window, x - 10);
  ASSERT_TRUE(span);
  EXPECT_EQ(events[*span].phase, Phase::Send);
}

TEST(TimeWindow, ZoomKeepsTheTimeUnderTheMouse) {
  TimeWindow window;
  window.start_ns = 1000;
  window.ns_per_px = 10;
  const double t = window.t_of(300);
  window.zoom_at(300, 2.0);
  EXPECT_DOUBLE_EQ(window.ns_per_px, 5);
  EXPECT_DOUBLE_EQ(window.t_of(300), t);
  window.pan(100);
  EXPECT_DOUBLE_EQ(window.t_of(400), t);
  window.fit(0, 1000000, 1000);
  EXPECT_LT(window.x_of(0), 0 + 50);
  EXPECT_GT(window.x_of(0), 0);
  EXPECT_LT(window.x_of(1000000), 1000);
}

// ---- The synthetic trace the bench draws ----

TEST(SyntheticTrace, IsAsBigAsAskedInSeqAndTimeOrder) {
  const auto events = synthetic_trace(10000);
  ASSERT_EQ(events.size(), 10000u);
  for (std::size_t i = 1; i < events.size(); ++i) {
    ASSERT_EQ(events[i].seq, i);
    ASSERT_LE(events[i - 1].t_ns, events[i].t_ns);
  }
  std::set<std::string> lanes;
  for (const auto& event : events) lanes.insert(event.lane);
  EXPECT_EQ(lanes.size(), 7u);  // client, server, 4 workers, app
}

// ---- QuizPlayer: where playback stops for a question, without a window ----

TEST(QuizPlayer, StepsStopAtTheFirstDueQuestionAndJumpsDoNot) {
  ViewerModel model(hello().scenario, 1);
  model.update(hello().events);
  QuizPlayer& quiz = model.quiz();
  ASSERT_GT(quiz.session().size(), 0u);
  const Question first = quiz.session().question(0);  // a copy: set_level replaces them
  const std::size_t stop = first.when == AskWhen::BeforeStep ? first.step - 1 : first.step;

  Transport& transport = model.transport();
  transport.go_to(transport.count() - 1);  // a jump: nothing is asked
  EXPECT_FALSE(quiz.gate(0, transport, false));
  transport.first();
  std::size_t from = 0;
  while (!quiz.session().current() && !transport.at_last()) {
    transport.next();
    quiz.gate(from, transport, true);
    from = transport.step();
  }
  EXPECT_EQ(quiz.session().current(), std::optional<std::size_t>(0));
  EXPECT_EQ(transport.step(), stop);
  EXPECT_EQ(quiz.session().check(first.answer_text()), Verdict::Right);
  EXPECT_EQ(quiz.score_text(), "1/" + std::to_string(quiz.session().size()));

  // Another level places the questions again; the answer carries over.
  model.set_level(hello().events, 3);
  const auto again = model.quiz().session().find(first.id);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(model.quiz().session().result(*again).correct);
}

}  // namespace
}  // namespace reqtrace::lesson
