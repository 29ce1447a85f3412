#include "trace/session.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace reqtrace::trace {
namespace {

bool by_seq(const Event& a, const Event& b) {
  return a.seq < b.seq;
}

}  // namespace

Session::Session(const nlohmann::json& scenario, std::vector<Event> events, std::string source)
    : scenario_(std::make_unique<nlohmann::json>(scenario)),
      origin_(Origin::File),
      source_(std::move(source)),
      events_(std::move(events)) {
  if (!std::is_sorted(events_.begin(), events_.end(), by_seq))
    std::stable_sort(events_.begin(), events_.end(), by_seq);
}

Session::Session(const nlohmann::json& scenario, std::string source)
    : scenario_(std::make_unique<nlohmann::json>(scenario)),
      origin_(Origin::Live),
      source_(std::move(source)) {}

Session::~Session() = default;

void Session::append(const std::vector<Event>& batch) {
  std::lock_guard lock(arriving_mutex_);
  arriving_.insert(arriving_.end(), batch.begin(), batch.end());
}

Recorder::Sink Session::sink_for(const std::shared_ptr<Session>& session) {
  return [session](const std::vector<Event>& batch) { session->append(batch); };
}

std::size_t Session::poll() {
  std::vector<Event> arrived;
  {
    std::unique_lock lock(arriving_mutex_, std::try_to_lock);
    if (!lock.owns_lock() || arriving_.empty()) return 0;
    arrived.swap(arriving_);
  }
  // The recorder hands over gap-free batches in seq order; keep that promise
  // even if a sink ever delivered batches out of order.
  const auto old_size = static_cast<std::ptrdiff_t>(events_.size());
  events_.reserve(events_.size() + arrived.size());
  std::move(arrived.begin(), arrived.end(), std::back_inserter(events_));
  const auto middle = events_.begin() + old_size;
  if (!std::is_sorted(middle, events_.end(), by_seq))
    std::stable_sort(middle, events_.end(), by_seq);
  if (old_size > 0 && by_seq(*middle, *(middle - 1))) {
    std::inplace_merge(events_.begin(), middle, events_.end(), by_seq);
    ++reorders_;
  }
  return arrived.size();
}

std::size_t Session::waiting() const {
  std::lock_guard lock(arriving_mutex_);
  return arriving_.size();
}

}  // namespace reqtrace::trace
