#include "app/nearest_names.hpp"

#include <algorithm>
#include <numeric>

namespace reqtrace::app {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // The classic table, three rows at a time: a swap looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    before.swap(previous);
    previous.swap(row);
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min(
          {previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
  }
  return row[b.size()];
}

std::vector<std::string> nearest_names(std::string_view typed,
                                       const std::vector<std::string>& names, std::size_t most) {
  // One slip in a short word; a third of a longer one.
  const std::size_t allowed = typed.size() <= 4 ? 1 : std::max<std::size_t>(2, typed.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> close;
  for (const auto& name : names) {
    // A name typed only in part ("prefork" for prefork-crowd) is one edit away, plus its slips.
    const std::size_t as_prefix =
        name.size() > typed.size() && typed.size() >= 3
            ? edit_distance(typed, std::string_view(name).substr(0, typed.size())) + 1
            : edit_distance(typed, name);
    const std::size_t distance = std::min(edit_distance(typed, name), as_prefix);
    if (distance <= allowed) close.emplace_back(distance, name);
  }
  std::stable_sort(close.begin(), close.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < close.size() && i < most; ++i) out.push_back(close[i].second);
  return out;
}

std::string did_you_mean(const std::vector<std::string>& nearest) {
  if (nearest.empty()) return "";
  std::string out = " (did you mean ";
  for (std::size_t i = 0; i < nearest.size(); ++i) {
    if (i > 0) out += i + 1 == nearest.size() ? " or " : ", ";
    out += nearest[i];
  }
  return out + "?)";
}

}  // namespace reqtrace::app
