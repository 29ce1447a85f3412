// Werkzeug's MultiDict: a key may appear many times, as in a query string or a form.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reqtrace::flask {

class MultiDict {
 public:
  using Item = std::pair<std::string, std::string>;

  MultiDict() = default;
  explicit MultiDict(std::vector<Item> items) : items_(std::move(items)) {}

  void add(std::string key, std::string value) {
    items_.emplace_back(std::move(key), std::move(value));
  }

  // d.get(key): the first value, or nothing; a missing key is not an error here.
  std::optional<std::string> get(std::string_view key) const;
  std::vector<std::string> getlist(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key).has_value(); }

  // d[key]: the first value. A missing key raises BadRequestKeyError, so a view
  // that trusts request.form["name"] answers 400 rather than crashing into a 500.
  const std::string& operator[](std::string_view key) const;

  const std::vector<Item>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Item> items_;
};

}  // namespace reqtrace::flask
