#include "lesson/view/timeline_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

namespace reqtrace::lesson {

void TimeWindow::zoom_at(double x, double factor) {
  const double t = t_of(x);
  ns_per_px = std::clamp(ns_per_px / factor, kFinestNsPerPx, kCoarsestNsPerPx);
  start_ns = t - x * ns_per_px;
}

void TimeWindow::pan(double dx) {
  start_ns -= dx * ns_per_px;
}

void TimeWindow::fit(std::int64_t first_ns, std::int64_t last_ns, double width_px) {
  const double span = std::max<double>(static_cast<double>(last_ns - first_ns), 1000.0);
  const double margin = span * 0.03;
  ns_per_px =
      std::clamp((span + 2 * margin) / std::max(width_px, 1.0), kFinestNsPerPx, kCoarsestNsPerPx);
  start_ns = static_cast<double>(first_ns) - margin;
}

int journey_rank(trace::Actor actor) {
  switch (actor) {
    case trace::Actor::Client:
      return 0;
    case trace::Actor::Proxy:
      return 1;
    case trace::Actor::Server:
    case trace::Actor::Worker:
      return 2;
    case trace::Actor::App:
      return 3;
    default:
      return 4;
  }
}

namespace {

// "worker-2" before "worker-10": digit runs compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) &&
        std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && std::isdigit(static_cast<unsigned char>(a[i_end]))) ++i_end;
      while (j_end < b.size() && std::isdigit(static_cast<unsigned char>(b[j_end]))) ++j_end;
      const auto digits_a = a.substr(i, i_end - i), digits_b = b.substr(j, j_end - j);
      if (digits_a.size() != digits_b.size()) return digits_a.size() < digits_b.size();
      if (digits_a != digits_b) return digits_a < digits_b;
      i = i_end;
      j = j_end;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

// Index of the first element of `sorted` in [from, to) that is not less than `value`.
std::size_t first_at_or_after(const std::vector<std::int64_t>& sorted, std::size_t from,
                              std::size_t to, double value) {
  const auto begin = sorted.begin() + static_cast<std::ptrdiff_t>(from);
  const auto end = sorted.begin() + static_cast<std::ptrdiff_t>(to);
  return static_cast<std::size_t>(
      std::partition_point(begin, end,
                           [value](std::int64_t t) { return static_cast<double>(t) < value; }) -
      sorted.begin());
}

// When a gil_wait's thread began to wait, from its data; nullopt if the data does not say.
std::optional<std::int64_t> wait_began(const trace::Event& event) {
  const auto data = nlohmann::json::parse(event.data, nullptr, false);
  if (!data.is_object()) return std::nullopt;
  const auto began = data.find("wait_began_t_ns");
  if (began == data.end() || !began->is_number_integer()) return std::nullopt;
  const auto t = began->get<std::int64_t>();
  if (t > event.t_ns) return std::nullopt;
  return t;
}

}  // namespace

std::uint16_t TimelineModel::lane_id(const trace::Event& event) {
  if (auto found = lane_by_name_.find(event.lane); found != lane_by_name_.end())
    return found->second;
  const auto id = static_cast<std::uint16_t>(lanes_.size());
  Lane lane;
  lane.name = event.lane.empty() ? std::string(trace::name_of(event.actor)) : event.lane;
  lane.actor = event.actor;
  lanes_.push_back(std::move(lane));
  lane_by_name_.emplace(event.lane, id);
  order_rows();
  return id;
}

void TimelineModel::order_rows() {
  rows_.resize(lanes_.size());
  std::iota(rows_.begin(), rows_.end(), std::size_t{0});
  std::stable_sort(rows_.begin(), rows_.end(), [this](std::size_t a, std::size_t b) {
    const int rank_a = journey_rank(lanes_[a].actor), rank_b = journey_rank(lanes_[b].actor);
    if (rank_a != rank_b) return rank_a < rank_b;
    return natural_less(lanes_[a].name, lanes_[b].name);
  });
  row_of_lane_.assign(lanes_.size(), 0);
  for (std::size_t row = 0; row < rows_.size(); ++row) row_of_lane_[rows_[row]] = row;
}

void TimelineModel::index_spans(Lane& lane) {
  auto& order = lane.by_start;
  // Spans are made in the order their first events arrive, which is nearly the
  // order of their start times: keep the sorted prefix and sort only if needed.
  std::size_t from = std::min(lane.changed_from, order.size());
  for (std::size_t i = order.size(); i < lane.spans.size(); ++i) {
    lane.place.push_back(static_cast<std::uint32_t>(order.size()));
    order.push_back(static_cast<std::uint32_t>(i));
  }
  auto by_start = [&lane](std::uint32_t a, std::uint32_t b) {
    return lane.spans[a].start < lane.spans[b].start;
  };
  // What comes before the first change is as sorted as it was.
  if (!std::is_sorted(order.begin() + static_cast<std::ptrdiff_t>(from > 0 ? from - 1 : 0),
                      order.end(), by_start)) {
    std::stable_sort(order.begin(), order.end(), by_start);
    for (std::size_t i = 0; i < order.size(); ++i)
      lane.place[order[i]] = static_cast<std::uint32_t>(i);
    from = 0;
  }
  lane.starts.resize(order.size());
  lane.longest_end_so_far.resize(order.size());
  std::int64_t longest = from > 0 ? lane.longest_end_so_far[from - 1] : INT64_MIN;
  for (std::size_t i = from; i < order.size(); ++i) {
    const Span& span = lane.spans[order[i]];
    lane.starts[i] = span.start;
    longest = std::max(longest, span.end);
    lane.longest_end_so_far[i] = longest;
  }
  lane.changed_from = SIZE_MAX;
}

void TimelineModel::update(const std::vector<trace::Event>& events) {
  if (events.size() <= seen_) return;
  if (seen_ == 0) first_ns_ = last_ns_ = events.front().t_ns;
  const std::size_t flows_before = flows_.size();
  lane_of_event_.reserve(events.size());
  bool flows_added = false;
  for (std::size_t i = seen_; i < events.size(); ++i) {
    const trace::Event& event = events[i];
    const auto index = static_cast<std::uint32_t>(i);
    const std::uint16_t id = lane_id(event);
    lane_of_event_.push_back(id);
    first_ns_ = std::min(first_ns_, event.t_ns);
    last_ns_ = std::max(last_ns_, event.t_ns);

    Lane& lane = lanes_[id];
    // Threads stamp their own clocks, so a lane is almost but not quite in time order.
    if (lane.times.empty() || lane.times.back() <= event.t_ns) {
      lane.times.push_back(event.t_ns);
      lane.events.push_back(index);
    } else {
      auto at = std::upper_bound(lane.times.begin(), lane.times.end(), event.t_ns);
      const auto offset = at - lane.times.begin();
      lane.times.insert(at, event.t_ns);
      lane.events.insert(lane.events.begin() + offset, index);
    }
    if (event.phase == trace::Phase::GilWait) {
      if (const auto began = wait_began(event)) {
        const auto at = std::upper_bound(lane.wait_starts.begin(), lane.wait_starts.end(), *began);
        const auto offset = at - lane.wait_starts.begin();
        lane.wait_starts.insert(at, *began);
        lane.waits.insert(lane.waits.begin() + offset,
                          {*began, event.t_ns, index, index, event.req});
        lane.longest_wait = std::max(lane.longest_wait, event.t_ns - *began);
      }
    }
    if (event.req == 0) continue;

    if (auto found = lane.span_of_req.find(event.req); found != lane.span_of_req.end()) {
      Span& span = lane.spans[found->second];
      span.start = std::min(span.start, event.t_ns);
      if (event.t_ns >= span.end) {
        span.end = event.t_ns;
        span.last_event = index;
      }
      if (found->second < lane.place.size())  // else new in this update: placed at the end
        lane.changed_from = std::min<std::size_t>(lane.changed_from, lane.place[found->second]);
    } else {
      // A new span: index_spans places it after the others.
      lane.span_of_req.emplace(event.req, static_cast<std::uint32_t>(lane.spans.size()));
      lane.spans.push_back({event.t_ns, event.t_ns, index, index, event.req});
    }

    auto [last, first_time] = last_of_req_.try_emplace(event.req, LastSeen{id, event.t_ns, index});
    if (!first_time) {
      if (last->second.lane != id) {
        flows_.push_back({last->second.t, event.t_ns, last->second.lane, id, last->second.event,
                          index, event.req});
        longest_flow_ns_ = std::max(longest_flow_ns_, event.t_ns - last->second.t);
        flows_added = true;
      }
      last->second = {id, event.t_ns, index};
    }
  }
  seen_ = events.size();
  for (Lane& lane : lanes_)
    if (lane.changed_from != SIZE_MAX || lane.by_start.size() < lane.spans.size())
      index_spans(lane);
  if (flows_added) {
    // A flow starts at its request's previous event, so the new ones are not quite in time
    // order, but they belong near the end: sort them and merge them in from where they start.
    auto by_time = [](const Flow& a, const Flow& b) { return a.t_from < b.t_from; };
    const auto added = flows_.begin() + static_cast<std::ptrdiff_t>(flows_before);
    std::stable_sort(added, flows_.end(), by_time);
    const auto from = std::upper_bound(flows_.begin(), added, *added, by_time);
    std::inplace_merge(from, added, flows_.end(), by_time);
    flow_starts_.resize(flows_.size());
    for (auto flow = from; flow != flows_.end(); ++flow)
      flow_starts_[static_cast<std::size_t>(flow - flows_.begin())] = flow->t_from;
  }
}

void TimelineModel::visible_instants(std::size_t row, const TimeWindow& window, double width_px,
                                     double merge_px, std::vector<TimelineItem>& out) const {
  const Lane& lane = lanes_[rows_[row]];
  const auto& times = lane.times;
  std::size_t i = first_at_or_after(times, 0, times.size(), window.t_of(-merge_px));
  const std::size_t end = first_at_or_after(times, i, times.size(), window.t_of(width_px + 1));
  while (i < end) {
    const double x = window.x_of(static_cast<double>(times[i]));
    // Every item closer than merge_px to this one joins its group.
    const std::size_t j = first_at_or_after(times, i + 1, end, window.t_of(x + merge_px));
    TimelineItem item;
    item.x0 = x;
    item.event = lane.events[i];
    if (j - i == 1) {
      item.kind = TimelineItem::Kind::Instant;
      item.x1 = x;
    } else {
      item.kind = TimelineItem::Kind::InstantGroup;
      item.x1 = window.x_of(static_cast<double>(times[j - 1]));
      item.count = static_cast<std::uint32_t>(j - i);
    }
    out.push_back(item);
    i = j;
  }
}

void TimelineModel::visible_spans(std::size_t row, const TimeWindow& window, double width_px,
                                  double merge_px, std::vector<TimelineItem>& out) const {
  const Lane& lane = lanes_[rows_[row]];
  const double t_left = window.t_of(0), t_right = window.t_of(width_px + 1);
  // The first span that could reach into view: the running max of ends is sorted.
  std::size_t i = static_cast<std::size_t>(
      std::partition_point(
          lane.longest_end_so_far.begin(), lane.longest_end_so_far.end(),
          [t_left](std::int64_t end) { return static_cast<double>(end) < t_left; }) -
      lane.longest_end_so_far.begin());
  const std::size_t end = first_at_or_after(lane.starts, i, lane.starts.size(), t_right);
  while (i < end) {
    const Span& span = lane.spans[lane.by_start[i]];
    if (static_cast<double>(span.end) < t_left) {
      ++i;
      continue;
    }
    TimelineItem item;
    item.x0 = window.x_of(static_cast<double>(span.start));
    item.x1 = window.x_of(static_cast<double>(span.end));
    item.event = span.first_event;
    item.req = span.req;
    if (item.x1 - item.x0 >= merge_px) {
      item.kind = TimelineItem::Kind::Span;
      out.push_back(item);
      ++i;
      continue;
    }
    // A narrow span takes every span starting within merge_px of it into one group.
    const std::size_t j =
        first_at_or_after(lane.starts, i + 1, end, window.t_of(item.x0 + merge_px));
    if (j - i == 1) {
      item.kind = TimelineItem::Kind::Span;
    } else {
      const Span& last = lane.spans[lane.by_start[j - 1]];
      item.kind = TimelineItem::Kind::SpanGroup;
      item.x1 = std::max(item.x0 + merge_px, window.x_of(static_cast<double>(last.end)));
      item.count = static_cast<std::uint32_t>(j - i);
    }
    out.push_back(item);
    i = j;
  }
}

void TimelineModel::visible_flows(const TimeWindow& window, double width_px, double merge_px,
                                  std::vector<TimelineFlow>& out) const {
  const double t_left = window.t_of(0), t_right = window.t_of(width_px + 1);
  std::size_t i = first_at_or_after(flow_starts_, 0, flows_.size(),
                                    t_left - static_cast<double>(longest_flow_ns_));
  const std::size_t end = first_at_or_after(flow_starts_, i, flows_.size(), t_right);
  while (i < end) {
    const Flow& flow = flows_[i];
    if (static_cast<double>(flow.t_to) < t_left) {
      ++i;
      continue;
    }
    TimelineFlow line;
    line.x0 = window.x_of(static_cast<double>(flow.t_from));
    line.x1 = window.x_of(static_cast<double>(flow.t_to));
    line.row_from = static_cast<std::uint16_t>(row_of_lane_[flow.lane_from]);
    line.row_to = static_cast<std::uint16_t>(row_of_lane_[flow.lane_to]);
    line.event_from = flow.event_from;
    line.event_to = flow.event_to;
    line.req = flow.req;
    out.push_back(line);
    // Lines starting within merge_px of this one would be drawn on top of it.
    i = std::max(i + 1,
                 first_at_or_after(flow_starts_, i + 1, end, window.t_of(line.x0 + merge_px)));
  }
}

void TimelineModel::visible_waits(std::size_t row, const TimeWindow& window, double width_px,
                                  double merge_px, std::vector<TimelineItem>& out) const {
  const Lane& lane = lanes_[rows_[row]];
  const double t_left = window.t_of(0), t_right = window.t_of(width_px + 1);
  std::size_t i = first_at_or_after(lane.wait_starts, 0, lane.waits.size(),
                                    t_left - static_cast<double>(lane.longest_wait));
  const std::size_t end = first_at_or_after(lane.wait_starts, i, lane.waits.size(), t_right);
  const std::size_t first_out = out.size();
  for (; i < end; ++i) {
    const Span& wait = lane.waits[i];
    if (static_cast<double>(wait.end) < t_left) continue;
    const double x0 = window.x_of(static_cast<double>(wait.start));
    const double x1 = window.x_of(static_cast<double>(wait.end));
    // A wait that starts within merge_px of the last one drawn widens it instead.
    if (out.size() > first_out && x0 <= out.back().x1 + merge_px) {
      out.back().x1 = std::max(out.back().x1, x1);
      ++out.back().count;
      continue;
    }
    TimelineItem item;
    item.kind = TimelineItem::Kind::Wait;
    item.x0 = x0;
    item.x1 = x1;
    item.event = wait.first_event;
    item.req = wait.req;
    out.push_back(item);
  }
}

std::optional<std::size_t> TimelineModel::event_near(std::size_t row, const TimeWindow& window,
                                                     double x, double radius_px) const {
  const Lane& lane = lanes_[rows_[row]];
  if (lane.times.empty()) return std::nullopt;
  const std::size_t at = first_at_or_after(lane.times, 0, lane.times.size(), window.t_of(x));
  std::optional<std::size_t> best;
  double best_distance = radius_px;
  for (std::size_t k : {at, at - 1}) {
    if (k >= lane.times.size()) continue;  // at - 1 wraps when at == 0
    const double distance = std::abs(window.x_of(static_cast<double>(lane.times[k])) - x);
    if (distance <= best_distance) {
      best_distance = distance;
      best = lane.events[k];
    }
  }
  return best;
}

std::optional<std::size_t> TimelineModel::span_at(std::size_t row, const TimeWindow& window,
                                                  double x) const {
  const Lane& lane = lanes_[rows_[row]];
  const double t = window.t_of(x);
  std::size_t i = first_at_or_after(lane.starts, 0, lane.starts.size(), t + window.ns_per_px);
  // The latest-starting span under x is the innermost; look back a bounded way.
  for (std::size_t looked = 0; i > 0 && looked < 64; ++looked) {
    --i;
    const Span& span = lane.spans[lane.by_start[i]];
    if (static_cast<double>(span.end) + window.ns_per_px >= t) return span.first_event;
  }
  return std::nullopt;
}

}  // namespace reqtrace::lesson
