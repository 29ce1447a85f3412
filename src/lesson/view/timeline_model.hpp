// The timeline's lanes, request spans and flow lines, and what of them a window of time shows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace/event.hpp"

namespace reqtrace::lesson {

// The part of real time the timeline shows: x = (t - start_ns) / ns_per_px.
struct TimeWindow {
  double start_ns = 0;
  double ns_per_px = 1000;

  static constexpr double kFinestNsPerPx = 0.05;
  static constexpr double kCoarsestNsPerPx = 1e12;

  double x_of(double t_ns) const { return (t_ns - start_ns) / ns_per_px; }
  double t_of(double x) const { return start_ns + x * ns_per_px; }
  // Zooms by `factor` (> 1 zooms in) keeping the time under `x` where it is.
  void zoom_at(double x, double factor);
  // Moves the picture `dx` pixels to the right (the view to earlier times).
  void pan(double dx);
  // Shows [first_ns, last_ns] across `width_px`, with a small margin either side.
  void fit(std::int64_t first_ns, std::int64_t last_ns, double width_px);
};

// One thing to draw on a lane. A group stands for several items closer than a
// few pixels: drawing them one by one would cost time and show nothing more.
struct TimelineItem {
  enum class Kind { Instant, InstantGroup, Span, SpanGroup, Wait };
  Kind kind = Kind::Instant;
  double x0 = 0;            // pixels from the window's left edge
  double x1 = 0;            // == x0 for an instant; the last member's x for a group
  std::uint32_t event = 0;  // an instant's event; a span's first event; a group's first
  std::uint32_t count = 1;  // how many items a group stands for
  int req = 0;              // the request, for its colour; a group's first member's
};

// A request moving from one lane to another: the line from its last event on
// one lane to its next event on the other.
struct TimelineFlow {
  double x0 = 0, x1 = 0;
  std::uint16_t row_from = 0, row_to = 0;
  std::uint32_t event_from = 0, event_to = 0;
  int req = 0;
};

// Lanes in the order of the journey: client, proxy, server or each worker, app.
// update() looks only at new events. Every visible-range query finds its first
// item by binary search on time and jumps over items closer than `merge_px`,
// so a frame costs about the same with a thousand events or a million.
class TimelineModel {
 public:
  void update(const std::vector<trace::Event>& events);
  void clear() { *this = TimelineModel(); }

  std::size_t event_count() const { return seen_; }
  std::size_t row_count() const { return rows_.size(); }
  const std::string& row_name(std::size_t row) const { return lanes_[rows_[row]].name; }
  trace::Actor row_actor(std::size_t row) const { return lanes_[rows_[row]].actor; }
  std::size_t row_of_event(std::size_t event) const { return row_of_lane_[lane_of_event_[event]]; }
  std::size_t events_in_row(std::size_t row) const { return lanes_[rows_[row]].times.size(); }
  std::int64_t first_ns() const { return first_ns_; }
  std::int64_t last_ns() const { return last_ns_; }

  void visible_instants(std::size_t row, const TimeWindow& window, double width_px, double merge_px,
                        std::vector<TimelineItem>& out) const;
  void visible_spans(std::size_t row, const TimeWindow& window, double width_px, double merge_px,
                     std::vector<TimelineItem>& out) const;
  void visible_flows(const TimeWindow& window, double width_px, double merge_px,
                     std::vector<TimelineFlow>& out) const;
  // The waits on `row` in view: a gil_wait event stands for the time its thread waited, from
  // its data's wait_began_t_ns to its own t_ns. Kind Wait, `event` the gil_wait event; waits
  // closer than `merge_px` are drawn as one.
  void visible_waits(std::size_t row, const TimeWindow& window, double width_px, double merge_px,
                     std::vector<TimelineItem>& out) const;

  // The event on `row` nearest to `x`, if one is within `radius_px`.
  std::optional<std::size_t> event_near(std::size_t row, const TimeWindow& window, double x,
                                        double radius_px) const;
  // The first event of the request span on `row` under `x`, if there is one.
  std::optional<std::size_t> span_at(std::size_t row, const TimeWindow& window, double x) const;

 private:
  struct Span {
    std::int64_t start = 0, end = 0;
    std::uint32_t first_event = 0, last_event = 0;
    int req = 0;
  };
  struct Lane {
    std::string name;
    trace::Actor actor = trace::Actor::Invalid;
    std::vector<std::int64_t> times;        // sorted
    std::vector<std::uint32_t> events;      // parallel to times
    std::vector<Span> spans;                // one per request that touched this lane
    std::vector<Span> waits;                // sorted by start; req is the waiting request's
    std::vector<std::int64_t> wait_starts;  // parallel to waits
    std::int64_t longest_wait = 0;
    std::unordered_map<int, std::uint32_t> span_of_req;
    std::vector<std::uint32_t> by_start;           // span indices sorted by start
    std::vector<std::uint32_t> place;              // inverse of by_start: where each span is
    std::vector<std::int64_t> starts;              // parallel to by_start
    std::vector<std::int64_t> longest_end_so_far;  // running max of end, along by_start
    // The first place in by_start whose span changed since the last index_spans: the live
    // requests are the latest, so an update re-indexes only the end of the lane.
    std::size_t changed_from = SIZE_MAX;
  };
  struct Flow {
    std::int64_t t_from = 0, t_to = 0;
    std::uint16_t lane_from = 0, lane_to = 0;
    std::uint32_t event_from = 0, event_to = 0;
    int req = 0;
  };
  struct LastSeen {
    std::uint16_t lane = 0;
    std::int64_t t = 0;
    std::uint32_t event = 0;
  };

  std::uint16_t lane_id(const trace::Event& event);
  void order_rows();
  static void index_spans(Lane& lane);

  std::size_t seen_ = 0;
  std::int64_t first_ns_ = 0, last_ns_ = 0;
  std::vector<Lane> lanes_;
  std::unordered_map<std::string, std::uint16_t> lane_by_name_;
  std::vector<std::uint16_t> lane_of_event_;
  std::vector<std::size_t> rows_;         // lane ids in display order
  std::vector<std::size_t> row_of_lane_;  // inverse of rows_
  std::vector<Flow> flows_;               // sorted by t_from
  std::vector<std::int64_t> flow_starts_;
  std::int64_t longest_flow_ns_ = 0;
  std::unordered_map<int, LastSeen> last_of_req_;
};

// Where a lane sits in the journey, for ordering rows: client, proxy, server,
// worker-1, worker-2, ..., app, then anything else by name.
int journey_rank(trace::Actor actor);

}  // namespace reqtrace::lesson
