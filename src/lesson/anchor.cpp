#include "lesson/anchor.hpp"

namespace reqtrace::lesson {
namespace {

// The request whose story an event is part of: its own, or request 1's for the server's
// events before any request.
int story_request(int req) {
  return req == 0 ? 1 : req;
}

std::uint64_t key(trace::Phase phase, int req) {
  return (static_cast<std::uint64_t>(phase) << 32) | static_cast<std::uint32_t>(req);
}

}  // namespace

bool is_at(const trace::Event& event, const scenario::Anchor& anchor) {
  return event.phase == anchor.phase && story_request(event.req) == anchor.req;
}

std::optional<std::size_t> find_anchor(const std::vector<trace::Event>& events,
                                       const scenario::Anchor& anchor) {
  for (std::size_t i = 0; i < events.size(); ++i)
    if (is_at(events[i], anchor)) return i;
  return std::nullopt;
}

std::size_t AnchorIndex::add(const scenario::Anchor& anchor) {
  found_.emplace_back();
  waiting_[key(anchor.phase, anchor.req)].push_back(found_.size() - 1);
  return found_.size() - 1;
}

void AnchorIndex::update(const std::vector<trace::Event>& events) {
  for (std::size_t i = seen_; i < events.size() && !waiting_.empty(); ++i) {
    // is_at's rule, looked up rather than tested anchor by anchor.
    const auto waiting = waiting_.find(key(events[i].phase, story_request(events[i].req)));
    if (waiting == waiting_.end()) continue;
    for (std::size_t anchor : waiting->second) found_[anchor] = i;
    waiting_.erase(waiting);
  }
  seen_ = events.size();
}

}  // namespace reqtrace::lesson
