#include "app/text_table.hpp"

#include <algorithm>

namespace reqtrace::app {
namespace {

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::string fit(const std::string& text, std::size_t limit) {
  if (limit == 0 || display_width(text) <= limit) return text;
  std::string out;
  std::size_t width = 0;
  for (char c : text) {
    if (!is_continuation(c) && ++width > limit - 1) break;
    out += c;
  }
  return out + "…";
}

}  // namespace

std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(c); }));
}

void TextTable::limit_column(std::size_t column, std::size_t width) {
  if (limits_.size() <= column) limits_.resize(column + 1, 0);
  limits_[column] = width;
}

void TextTable::print(std::ostream& out) const {
  const std::size_t columns = header_.size();
  auto cell = [&](const std::vector<std::string>& row, std::size_t c) {
    const std::string text = c < row.size() ? row[c] : "";
    return fit(text, c < limits_.size() ? limits_[c] : 0);
  };
  std::vector<std::size_t> widths(columns, 0);
  for (std::size_t c = 0; c < columns; ++c) {
    widths[c] = display_width(cell(header_, c));
    for (const auto& row : rows_) widths[c] = std::max(widths[c], display_width(cell(row, c)));
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string text = cell(row, c);
      out << (c ? " | " : "") << text;
      if (c + 1 < columns) out << std::string(widths[c] - display_width(text), ' ');
    }
    out << '\n';
  };
  print_row(header_);
  for (std::size_t c = 0; c < columns; ++c) out << (c ? "-+-" : "") << std::string(widths[c], '-');
  out << '\n';
  for (const auto& row : rows_) print_row(row);
}

void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                   std::size_t indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], display_width(row[c]));
  }
  for (const auto& row : rows) {
    out << std::string(indent, ' ');
    for (std::size_t c = 0; c < row.size(); ++c) {
      out << row[c];
      if (c + 1 < row.size()) out << std::string(widths[c] - display_width(row[c]) + 3, ' ');
    }
    out << '\n';
  }
}

}  // namespace reqtrace::app
