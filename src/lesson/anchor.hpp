// Where a quiz or key moment sits in a trace: the first event of a phase within a request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "scenario/scenario.hpp"
#include "trace/event.hpp"

namespace reqtrace::lesson {

// Whether `event` is the anchor's phase in the anchor's request. The server's "listening"
// (request 0) belongs to no request, and anchors to request 1's story, where it begins.
bool is_at(const trace::Event& event, const scenario::Anchor& anchor);

// The index of the first event at the anchor, if it happened.
std::optional<std::size_t> find_anchor(const std::vector<trace::Event>& events,
                                       const scenario::Anchor& anchor);

// Where each of a list of anchors happened, kept up to date as events arrive: update() looks
// only at the new events, and finds an event's anchors by a hash of its phase and request.
class AnchorIndex {
 public:
  // Adds an anchor and returns its number. Anchors are added before the first update.
  std::size_t add(const scenario::Anchor& anchor);
  void update(const std::vector<trace::Event>& events);

  std::size_t size() const { return found_.size(); }
  // The first event at anchor `anchor`, if it has happened.
  std::optional<std::size_t> event(std::size_t anchor) const { return found_[anchor]; }

 private:
  std::size_t seen_ = 0;
  std::vector<std::optional<std::size_t>> found_;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> waiting_;  // by phase and request
};

}  // namespace reqtrace::lesson
